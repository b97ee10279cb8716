"""The signed links of the subscriptions' e-mails, and the absolute addresses they name."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

CONFIRM_SALT = "subscriptions.confirm"
MANAGE_SALT = "subscriptions.manage"


def confirm_days():
    return settings.PORTAL_FOLLOW_CONFIRM_DAYS


def absolute(url):
    """A page's or view's address as an e-mail must give it: with the portal's host."""
    if url and url.startswith("/"):
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url
    return url


def confirm_url(subscription):
    token = signing.dumps([subscription.pk, subscription.subscriber.key], salt=CONFIRM_SALT)
    return absolute(reverse("subscriptions:confirm", args=[token]))


def manage_token(subscriber):
    return signing.dumps(subscriber.key, salt=MANAGE_SALT)


def manage_url(subscriber):
    return absolute(reverse("subscriptions:manage", args=[manage_token(subscriber)]))


def read_confirm_token(token):
    """(subscription pk, subscriber key), or None for a link altered or too old."""
    try:
        pk, key = signing.loads(token, salt=CONFIRM_SALT, max_age=confirm_days() * 24 * 3600)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return pk, key


def read_manage_token(token):
    """The subscriber key, or None. The link of an old e-mail keeps working for as long as
    the subscriber has a subscription: it is how a resident stops them."""
    try:
        key = signing.loads(token, salt=MANAGE_SALT)
    except signing.BadSignature:
        return None
    return key if isinstance(key, str) else None
