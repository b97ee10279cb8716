"""A Shopify shop's public catalogue: `/products.json`, a page of at most 250 products.

The address is not part of Shopify's documented APIs, but every online store answers it:
`{"products": [{id, title, handle, body_html, vendor, product_type, published_at,
variants: [{price, compare_at_price, available, sku, barcode…}], images: [{src…}]}]}`.
Pages are asked with `page` and `limit`; a page with fewer than `limit` products is the
last one. A shop closed by a password answers its /password page, in HTML.
"""

import re
from urllib.parse import urlsplit, urlunsplit

from django.utils.translation import gettext as _

from products.models import Availability

from ..items import Item, NotACatalogue, Page
from .common import (
    absolute,
    check_all,
    decimal,
    image_urls,
    json_body,
    looks_like_html,
    missing_price,
    not_a_price,
    plain,
    product_where,
    query_int,
    text,
    with_page,
)

LIMIT = 250  # the most products.json gives on a page
DEFAULT_LIMIT = 30  # what it gives when the address does not say
GTIN = re.compile(r"\d{8}|\d{12,14}", re.ASCII)


def first_url(source_url):
    """The first page of the shop's catalogue, whatever page of the shop was pasted: its
    home, a collection, a product or products.json itself all belong to the same shop."""
    parts = urlsplit(source_url.strip())
    return urlunsplit((parts.scheme, parts.netloc, "/products.json", f"limit={LIMIT}&page=1", ""))


def read(response):
    if looks_like_html(response):
        if urlsplit(response.url).path.rstrip("/").endswith("/password"):
            raise NotACatalogue(
                _(
                    "This Shopify shop is protected by a password: its products cannot be "
                    "read until it is open to the public."
                )
            )
    data = json_body(response)
    products = data.get("products") if isinstance(data, dict) else None
    if not isinstance(products, list) or not all(isinstance(p, dict) for p in products):
        raise NotACatalogue(_("This address does not answer with a Shopify catalogue."))
    base = urlunsplit(urlsplit(response.url)._replace(path="/", query="", fragment=""))
    items = check_all([_item(product, base) for product in products])
    limit = query_int(response.url, "limit", DEFAULT_LIMIT)
    next_url = None
    if products and len(products) >= limit:
        next_url = with_page(response.url, query_int(response.url, "page", 1) + 1)
    return Page(items, next_url)


def _item(product, base):
    key = str(product.get("id") or "")
    name = text(product.get("title"))
    item = Item(source_key=key, where=product_where(name, key), name=name)
    if not key:
        item.errors.append(_("The product has no id."))
    item.description = plain(product.get("body_html"))
    item.brand = text(product.get("vendor"))
    if kind := text(product.get("product_type")):
        item.categories = [kind]
    if handle := str(product.get("handle") or ""):
        item.link = absolute(f"/products/{handle}", base)
    item.images = image_urls(product.get("images"), base)
    # The public list holds published products only; an export of the admin API also
    # gives drafts (status "draft", published_at null): they are not shown.
    status = product.get("status", "active")
    item.is_active = status == "active" and product.get("published_at", "") is not None
    _variants(item, [v for v in product.get("variants") or [] if isinstance(v, dict)])
    return item


def _variants(item, variants):
    """One item for all the variants: the lowest price ("from" when they differ), available
    when any variant is, the first variant's reference and barcode."""
    if not variants:
        item.errors.append(missing_price())
        return
    first = variants[0]
    item.sku = text(first.get("sku"))
    barcode = str(first.get("barcode") or "").strip()
    if GTIN.fullmatch(barcode):
        item.gtin = barcode
    prices = []
    for variant in variants:
        price = decimal(variant.get("price"))
        if price is None:
            item.errors.append(
                not_a_price(variant["price"]) if variant.get("price") else missing_price()
            )
            return
        prices.append((price, variant))
    item.price, cheapest = min(prices, key=lambda pair: pair[0])
    item.from_price = len({price for price, _variant in prices}) > 1
    item.former_price = decimal(cheapest.get("compare_at_price"))
    available = any(variant.get("available", True) for variant in variants)
    item.availability = Availability.IN_STOCK if available else Availability.OUT_OF_STOCK
