"""What the feeds say of a product, in each reader's own words: Google Merchant Center's
product and local inventory data, Meta's catalogue.

Every value is plain text: no HTML, and none of the control characters XML 1.0 forbids
(a description pasted from a till or a word processor may carry them).
"""

import re
from datetime import datetime, time, timedelta
from urllib.parse import urljoin

from django.utils import timezone
from django.utils.text import Truncator

from home.structured_data import plain_text
from products.models import Availability
from products.structured_data import CURRENCY, OG_AVAILABILITY

GOOGLE_NAMESPACE = "http://base.google.com/ns/1.0"

# Google asks for the whole product, uncropped, and recommends 800 px or more; Meta 500 px
# or more. The photo scaled down to fit 1200 px (never up), in JPEG, serves both.
IMAGE_SPEC = "max-1200x1200|format-jpeg"
ADDITIONAL_IMAGES = 10  # Google reads up to 10 additional_image_link
TITLE_LENGTH = 150  # Google's limit (Meta's is 200)
DESCRIPTION_LENGTH = 5000  # Google's limit (Meta's is 9999)

# Google's product data: `backorder` ("not available now, you accept orders") asks for an
# availability_date, the day it can be had: the portal does not know it, so a product "on
# order" is announced ON_ORDER_DAYS after the day of the feed.
PRODUCT_AVAILABILITY = {
    Availability.IN_STOCK: "in_stock",
    Availability.LIMITED: "in_stock",
    Availability.ON_ORDER: "backorder",
    Availability.OUT_OF_STOCK: "out_of_stock",
}
ON_ORDER_DAYS = 14
# Google's local inventory data: the stock of one store.
LOCAL_AVAILABILITY = {
    Availability.IN_STOCK: "in_stock",
    Availability.LIMITED: "limited_availability",
    Availability.ON_ORDER: "on_display_to_order",
    Availability.OUT_OF_STOCK: "out_of_stock",
}
# Meta's catalogue takes the values of its Open Graph product tags, the product page's own.
META_AVAILABILITY = OG_AVAILABILITY

# A request sent through the portal reserves the product; the resident pays in the shop.
PICKUP_METHOD = "reserve"
NO_PICKUP = "not supported"
# The shop answers a request within the day; a product it orders in takes longer.
PICKUP_SLA = {
    Availability.IN_STOCK: "next day",
    Availability.LIMITED: "next day",
    Availability.ON_ORDER: "multi-week",
}

# What XML 1.0 forbids (C0 controls but tab and line breaks, lone surrogates, U+FFFE/FFFF).
FORBIDDEN_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text, length=TITLE_LENGTH):
    """Plain text (a name, a code) as one line, without forbidden characters: `<b>` in a
    name is text, kept as typed (the XML or CSV writer escapes it)."""
    text = " ".join(FORBIDDEN_IN_XML.sub("", str(text or "")).split())
    return Truncator(text).chars(length)


def clean_html(value, length=DESCRIPTION_LENGTH):
    """Rich text (a description) as one line of plain text, without forbidden characters."""
    return clean(plain_text(FORBIDDEN_IN_XML.sub("", str(value or "")), length), length)


def feed_id(product):
    """The product's id in every feed: its primary key, unique in town and never reused."""
    return str(product.pk)


def title(product):
    return clean(product.name)


def description(product):
    """The description, else the short description, else the name and the shop."""
    text = clean_html(product.description) or clean(product.short_description, DESCRIPTION_LENGTH)
    return text or clean(f"{product.name} — {product.shop.title}")


def money(amount):
    """`12.50 EUR`, as Google and Meta both read prices."""
    return f"{amount:.2f} {CURRENCY}"


def prices(product):
    """[(attribute, value)]: the price, and on promotion the former price as the price and
    the price as the sale price (what Google and Meta both ask)."""
    if product.is_on_promotion:
        return [("price", money(product.former_price)), ("sale_price", money(product.price))]
    return [("price", money(product.price))]


def brand(product):
    """The product's brand, or the shop's name for what it makes itself, else nothing."""
    if product.brand:
        return clean(product.brand)
    return clean(product.shop.title) if product.made_by_shop else ""


def identifiers(product):
    """[(attribute, value)] of the product's identifiers. Google calls a product identified
    by a GTIN, or by a brand and an MPN; otherwise `identifier_exists` says there is none
    (handmade goods, a shop's own products), and Google does not ask for one."""
    fields = [("gtin", product.gtin), ("mpn", clean(product.mpn)), ("brand", brand(product))]
    fields = [(name, value) for name, value in fields if value]
    if not (product.gtin or (product.mpn and brand(product))):
        fields.append(("identifier_exists", "no"))
    return fields


def photo_urls(product, page_url):
    """Absolute URLs of the product's photos, main photo first, on the same site as its page
    (`page_url`), as renditions prefetched with Product.objects.for_cards()."""
    return [
        urljoin(page_url, photo.image.get_rendition(IMAGE_SPEC).url)
        for photo in product.images.all()[: 1 + ADDITIONAL_IMAGES]
    ]


def available_on(today=None):
    """When a product on order can be had, in Google's format: ON_ORDER_DAYS from today."""
    day = (today or timezone.localdate()) + timedelta(days=ON_ORDER_DAYS)
    moment = timezone.make_aware(datetime.combine(day, time()))
    return moment.strftime("%Y-%m-%dT%H:%M%z")


def pickup(product):
    """[(attribute, value)]: how and when the product can be picked up in the shop."""
    if not product.shop.offers_pickup:
        return [("pickup_method", NO_PICKUP)]
    if product.availability not in PICKUP_SLA:
        return []  # out of stock: nothing to pick up
    return [("pickup_method", PICKUP_METHOD), ("pickup_sla", PICKUP_SLA[product.availability])]
