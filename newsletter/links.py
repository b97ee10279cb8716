"""The one-click unsubscribe link of the newsletter's e-mails (RFC 8058)."""

from django.core import signing
from django.urls import reverse

from subscriptions.links import absolute

UNSUBSCRIBE_SALT = "newsletter.unsubscribe"


def unsubscribe_url(subscriber_key):
    token = signing.dumps(subscriber_key, salt=UNSUBSCRIBE_SALT)
    return absolute(reverse("newsletter:unsubscribe", args=[token]))


def read_unsubscribe_token(token):
    try:
        key = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return key if isinstance(key, str) else None
