"""The links of the newsletter's e-mails: one-click unsubscribe (RFC 8058), and the
counting redirect of the links its body contains."""

import re
from html import escape, unescape

from django.core import signing
from django.urls import reverse

from subscriptions.links import absolute

UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
LINK_SALT = "newsletter.link"
HREF = re.compile(r'href="([^"]*)"')


def with_absolute_links(html):
    """The portal's own links of rich text are written "/…": an e-mail needs its host."""
    return HREF.sub(lambda match: f'href="{escape(absolute(unescape(match[1])))}"', html)


def counted(newsletter, html):
    """`html` with each web link through the portal's counting redirect, and those links.

    The redirect's token names the newsletter and the link's position in its list, never
    an address: it can only lead to a link the newsletter contains."""
    links = []

    def swap(match):
        url = unescape(match[1])
        if not url.startswith(("https://", "http://")):
            return match[0]
        if url not in links:
            links.append(url)
        token = signing.dumps([newsletter.pk, links.index(url)], salt=LINK_SALT)
        return f'href="{absolute(reverse("newsletter:link", args=[token]))}"'

    return HREF.sub(swap, html), links


def read_link_token(token):
    """(newsletter pk, link position), or None."""
    try:
        pk, position = signing.loads(token, salt=LINK_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not all(isinstance(number, int) and number >= 0 for number in (pk, position)):
        return None
    return pk, position


def unsubscribe_url(subscriber_key):
    token = signing.dumps(subscriber_key, salt=UNSUBSCRIBE_SALT)
    return absolute(reverse("newsletter:unsubscribe", args=[token]))


def read_unsubscribe_token(token):
    try:
        key = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return key if isinstance(key, str) else None
