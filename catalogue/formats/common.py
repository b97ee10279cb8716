"""What the four formats share: reading a body, plain text, prices, and an item's checks."""

import html
import json
import re
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from products.importing import NAME_MAX, PRICE_MAX, SKU_MAX

from ..items import NotACatalogue

CENT = Decimal("0.01")


# A web page's beginning, after a byte order mark, an XML declaration, spaces and comments.
HTML_START = re.compile(
    rb"(\xef\xbb\xbf)?\s*(<\?xml.*?\?>)?\s*(<!--.*?-->\s*)*<(!doctype\s+html|html)\b",
    re.I | re.S,
)


def looks_like_html(response):
    """Whether the answer is a web page, by what it holds: servers label a CSV file or a
    feed "text/html" often enough that the content type is not a proof."""
    return HTML_START.match(response.body[:4096]) is not None


def refuse_html(response):
    if looks_like_html(response):
        raise NotACatalogue(
            _("This address answers with a web page, not a catalogue: check the address.")
        )


def json_body(response):
    """The decoded JSON of an answer, or NotACatalogue when it is a page or not JSON."""
    refuse_html(response)
    try:
        return json.loads(response.body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise NotACatalogue(_("This address does not answer with a catalogue.")) from None


def with_page(url, page):
    """The same address asking for another page (its other parameters kept)."""
    parts = urlsplit(url)
    query = [(name, value) for name, value in parse_qsl(parts.query) if name != "page"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("page", page)])))


def query_int(url, name, default):
    value = dict(parse_qsl(urlsplit(url).query)).get(name, "")
    return int(value) if value.isascii() and value.isdigit() else default


def text(value):
    """A one-line text from a source: entities unescaped, whitespace collapsed."""
    return " ".join(html.unescape(str(value or "")).split())


def plain(value):
    """Plain text from a source's HTML: tags removed, entities unescaped, spaces collapsed.

    Tags are removed before entities are unescaped, so that `&lt;b&gt;` stays visible
    text rather than becoming a tag that disappears."""
    return " ".join(html.unescape(strip_tags(str(value or ""))).split())


def absolute(url, base):
    """An image or page address as an absolute http(s) URL, or "" when it is none."""
    url = str(url or "").strip()
    if not url:
        return ""
    if url.startswith("//"):  # Shopify's CDN addresses are protocol-relative
        url = "https:" + url
    url = urljoin(base, url)
    return url if urlsplit(url).scheme in ("http", "https") else ""


def image_urls(images, base):
    """The absolute addresses of a list of images given as {"src": …}."""
    return [
        url
        for image in images or []
        if isinstance(image, dict) and (url := absolute(image.get("src"), base))
    ]


def decimal(value):
    """A Decimal from a source's number (a string or a number), or None."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def check(item):
    """The checks every item goes through: what the portal needs of a product.

    Missing or invalid values were already reported by the format; this adds the
    portal's own limits. The item keeps its values: the run reports it and skips it."""
    if not item.name:
        item.errors.append(_("The name is missing."))
    elif len(item.name) > NAME_MAX:
        item.errors.append(_("The name is longer than %(max)s characters.") % {"max": NAME_MAX})
    if item.price is not None:
        if item.price < 0:
            item.errors.append(_("The price cannot be negative."))
        elif item.price > PRICE_MAX or item.price != item.price.quantize(CENT):
            item.errors.append(
                _("“%(price)s” is not a price in euros and cents.") % {"price": item.price}
            )
    if item.former_price is not None and (
        item.price is None or item.former_price <= item.price or item.former_price > PRICE_MAX
    ):
        item.former_price = None  # a former price is only shown above the price
    if item.former_price is not None:
        item.former_price = item.former_price.quantize(CENT)
    if len(item.sku) > SKU_MAX:
        item.errors.append(_("The reference is longer than %(max)s characters.") % {"max": SKU_MAX})
    return item


def check_all(items):
    """Check each item, and that no two items of one answer share the source's id."""
    seen = {}
    for item in items:
        check(item)
        if not item.source_key:
            continue
        if item.source_key in seen:
            item.errors.append(
                _("The same id is also given to %(other)s.") % {"other": seen[item.source_key]}
            )
        seen.setdefault(item.source_key, item.where)
    return items


def product_where(name, key):
    return _("product “%(name)s” (id %(id)s)") % {"name": name[:60], "id": key}


def missing_price():
    return _("The price is missing.")


def not_a_price(value):
    return _("“%(price)s” is not a price.") % {"price": str(value)[:40]}


def wrong_currency(currency):
    return _("The price is in %(currency)s: the portal shows prices in euros.") % {
        "currency": currency[:8]
    }
