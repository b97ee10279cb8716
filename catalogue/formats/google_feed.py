"""A Google product feed: RSS 2.0 (`rss/channel/item`) or Atom (`feed/entry`) whose items
carry Google Merchant Center's attributes in the `g:` namespace (id, title, description,
link, image_link, availability, price "12.50 EUR", sale_price and its effective dates,
brand, gtin, mpn…). A product's variants are items sharing a `g:item_group_id`: they
become one item, as Shopify's and WooCommerce's variants do (the portal has no variants).

Title, link and description may be RSS's or Atom's own elements instead of `g:` ones. The
feed is one document: there is no next page. It comes from the merchant's server, so it
is parsed by defusedxml, without a DTD: no entity is expanded, nothing external is read.
"""

import re
from dataclasses import replace
from datetime import datetime, timedelta
from operator import attrgetter

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.utils import timezone
from django.utils.translation import gettext as _

from products.importing import parse_price
from products.models import Availability

from ..items import Item, NotACatalogue, Page
from .common import (
    absolute,
    check_all,
    missing_price,
    not_a_price,
    plain,
    product_where,
    refuse_html,
    text,
    wrong_currency,
)

G = "http://base.google.com/ns/1.0"
ATOM = "http://www.w3.org/2005/Atom"
AVAILABILITY = {
    "in_stock": Availability.IN_STOCK,
    "in stock": Availability.IN_STOCK,
    "out_of_stock": Availability.OUT_OF_STOCK,
    "out of stock": Availability.OUT_OF_STOCK,
    "preorder": Availability.ON_ORDER,
    "backorder": Availability.ON_ORDER,
}
# From the best to the worst, for a product whose variants differ.
BEST = [
    Availability.IN_STOCK,
    Availability.LIMITED,
    Availability.ON_ORDER,
    Availability.OUT_OF_STOCK,
]
PRICE = re.compile(r"(?:([A-Za-z]{3})\s*)?([-+\d.,\s\u00a0\u202f]+?)\s*(?:([A-Za-z]{3}|€))?")


def first_url(source_url):
    return source_url.strip()


def read(response):
    refuse_html(response)
    try:
        root = fromstring(response.body, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError):
        raise NotACatalogue(_("This address does not answer with a product feed (XML).")) from None
    if root.tag == "rss":
        entries, atom = root.findall("channel/item"), False
    elif root.tag == f"{{{ATOM}}}feed":
        entries, atom = root.findall(f"{{{ATOM}}}entry"), True
    else:
        raise NotACatalogue(_("This address does not answer with an RSS or Atom feed."))
    google = [entry for entry in entries if any(_in_g(child) for child in entry)]
    if not google and (entries or G.encode() not in response.body):
        raise NotACatalogue(
            _(
                "This feed has no product in Google's format (the g: fields such as g:id "
                "and g:price)."
            )
        )
    groups = {}
    for number, entry in enumerate(google, 1):
        item = _item(entry, number, atom, response.url)
        group = text(_value(entry, "item_group_id")) or ("", number)
        groups.setdefault(group, []).append(item)
    items = [
        variants[0] if len(variants) == 1 else _one_of(group, variants)
        for group, variants in groups.items()
    ]
    return Page(check_all(items))


def _one_of(group, variants):
    """The variants of one product (items sharing a g:item_group_id) as one item: the
    lowest price ("from" when they differ), the best availability of any, the first
    variant's name, description and link, all their photos."""
    first = variants[0]
    errors = dict.fromkeys(error for variant in variants for error in variant.errors)
    item = replace(
        first,
        source_key=group,
        where=product_where(first.name, group),
        gtin="",
        mpn="",
        errors=list(errors),
        images=list(dict.fromkeys(url for variant in variants for url in variant.images)),
        availability=min((variant.availability for variant in variants), key=BEST.index),
    )
    if errors:  # reported and skipped, as one product
        item.price = item.former_price = None
    else:
        cheapest = min(variants, key=attrgetter("price"))
        item.price, item.former_price = cheapest.price, cheapest.former_price
        item.from_price = len({variant.price for variant in variants}) > 1
    return item


def _in_g(element):
    return isinstance(element.tag, str) and element.tag.startswith(f"{{{G}}}")


def _value(entry, name, atom=False):
    """The text of a g: attribute, or of the feed's own element for title, link and
    description ("" when absent)."""
    element = entry.find(f"{{{G}}}{name}")
    if element is None and name in ("title", "link", "description"):
        if not atom:
            element = entry.find(name)
        elif name == "link":
            link = entry.find(f"{{{ATOM}}}link")
            return "" if link is None else (link.get("href") or link.text or "").strip()
        else:
            for tag in ("title",) if name == "title" else ("summary", "content"):
                if (element := entry.find(f"{{{ATOM}}}{tag}")) is not None:
                    break
    return "" if element is None else (element.text or "").strip()


def _item(entry, number, atom, base):
    key = text(_value(entry, "id"))
    name = text(_value(entry, "title", atom))
    if key:
        where = product_where(name, key)
    else:
        where = _("item %(number)s of the feed") % {"number": number}
    item = Item(source_key=key, where=where, name=name)
    if not key:
        item.errors.append(_("The product has no id (g:id)."))
    item.description = plain(_value(entry, "description", atom))
    item.link = absolute(_value(entry, "link", atom), base)
    images = [_value(entry, "image_link")] + [
        (element.text or "") for element in entry.findall(f"{{{G}}}additional_image_link")
    ]
    item.images = list(dict.fromkeys(url for image in images if (url := absolute(image, base))))
    item.categories = _categories(entry)
    item.brand = text(_value(entry, "brand"))
    item.gtin = text(_value(entry, "gtin"))
    item.mpn = text(_value(entry, "mpn"))
    availability = _value(entry, "availability").lower()
    if availability:
        item.availability = AVAILABILITY.get(availability.replace("-", "_"))
        if item.availability is None:
            item.availability = Availability.IN_STOCK
            item.errors.append(
                _(
                    "“%(value)s” is not an availability: in_stock, out_of_stock, preorder, "
                    "backorder."
                )
                % {"value": availability[:40]}
            )
    sale = _value(entry, "sale_price")
    if sale and not _on_sale(_value(entry, "sale_price_effective_date")):
        sale = ""
    _prices(item, _value(entry, "price"), sale)
    return item


def _categories(entry):
    """The last segment of the merchant's product type and of Google's category
    ("Maison > Cuisine > Tasses" → "Tasses"); Google's numeric category ids are left."""
    names = []
    for name in ("product_type", "google_product_category"):
        for element in entry.findall(f"{{{G}}}{name}"):
            last = text((element.text or "").split(">")[-1])
            if last and not last.isdigit() and last not in names:
                names.append(last)
    return names


def _on_sale(period):
    """Whether now is in a sale's period, "2026-12-01T08:00+0100/2026-12-24T20:00+0100"
    (a day alone is the whole day, in the portal's time zone); no period is always. A
    period that cannot be read is never: the price is shown without the sale."""
    if not period:
        return True
    try:
        start, end = (
            datetime.fromisoformat(part.strip().replace("Z", "+00:00"))
            for part in period.split("/")
        )
    except ValueError:
        return False
    if "T" not in period.split("/")[1]:
        end += timedelta(days=1)
    start, end = (
        moment if timezone.is_aware(moment) else timezone.make_aware(moment)
        for moment in (start, end)
    )
    return start <= timezone.now() < end


def _prices(item, price_text, sale_text):
    price = _price(item, price_text)
    if price_text and price is None:
        return
    if not price_text:
        item.errors.append(missing_price())
        return
    sale = _price(item, sale_text) if sale_text else None
    if sale is not None and sale < price:
        item.price, item.former_price = sale, price
    else:
        item.price = price


def _price(item, value):
    """A Decimal from "12.50 EUR", "12,50 EUR", "12.5 EUR" or "EUR 12.50"; None and an
    error on the item when it is not a price, or not in euros."""
    if not value:
        return None
    match = PRICE.fullmatch(value.strip())
    if match is None or (match[1] and match[3]):
        item.errors.append(not_a_price(value))
        return None
    currency = (match[1] or match[3] or "EUR").upper()
    if currency not in ("EUR", "€"):
        item.errors.append(wrong_currency(currency))
        return None
    price = parse_price(match[2])
    if price is None:
        item.errors.append(not_a_price(value))
    return price
