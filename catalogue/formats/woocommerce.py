"""A WooCommerce shop's public Store API: `/wp-json/wc/store/v1/products`.

A JSON list of products: {id, name, type, permalink, sku, short_description,
description, on_sale, prices: {price, regular_price, sale_price, price_range,
currency_code, currency_minor_unit…}, images: [{src…}], categories: [{name…}],
brands: [{name…}], is_in_stock, is_on_backorder, low_stock_remaining…}. Prices are
strings in the currency's minor unit: "1250" with `currency_minor_unit` 2 is 12.50.
Pages are asked with `page` and `per_page`; the `X-WP-TotalPages` header says how many.
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
    missing_price,
    not_a_price,
    plain,
    product_where,
    query_int,
    text,
    with_page,
    wrong_currency,
)

PER_PAGE = 100  # the most the Store API gives on a page
API = "/wp-json/wc/store/v1/products"
# Where a pasted address leaves the shop's root: WordPress may live in a folder.
BEYOND_ROOT = re.compile(
    r"/(wp-json|wp-admin|product|produit|product-category|categorie-produit|shop|boutique)"
    r"(/.*)?$"
)


def first_url(source_url):
    parts = urlsplit(source_url.strip())
    root = BEYOND_ROOT.sub("", parts.path.rstrip("/"))
    return urlunsplit((parts.scheme, parts.netloc, root + API, f"per_page={PER_PAGE}&page=1", ""))


def read(response):
    data = json_body(response)
    if not isinstance(data, list) or not all(
        isinstance(product, dict) and "id" in product and "prices" in product for product in data
    ):
        raise NotACatalogue(_("This address does not answer with a WooCommerce catalogue."))
    items = check_all([_item(product, response.url) for product in data])
    page = query_int(response.url, "page", 1)
    pages = response.headers.get("x-wp-totalpages", "")
    if pages.isascii() and pages.isdigit():
        more = page < int(pages)
    else:  # a cache or proxy dropped the header: a full page may have a next one
        more = len(data) >= query_int(response.url, "per_page", 10) > 0
    return Page(items, with_page(response.url, page + 1) if data and more else None)


def _item(product, base):
    key = str(product.get("id") or "")
    name = text(product.get("name"))
    item = Item(source_key=key, where=product_where(name, key), name=name)
    item.sku = text(product.get("sku"))
    item.description = plain(product.get("short_description") or product.get("description"))
    item.link = absolute(product.get("permalink"), base)
    item.images = image_urls(product.get("images"), base)
    item.categories = _names(product.get("categories"))
    item.brand = next(iter(_names(product.get("brands"))), "")
    item.availability = _availability(product)
    _prices(item, product)
    return item


def _names(terms):
    return [
        name for term in terms or [] if isinstance(term, dict) and (name := text(term.get("name")))
    ]


def _availability(product):
    if product.get("is_on_backorder"):
        return Availability.ON_ORDER
    if not product.get("is_in_stock", True):
        return Availability.OUT_OF_STOCK
    if product.get("low_stock_remaining"):
        return Availability.LIMITED
    return Availability.IN_STOCK


def _prices(item, product):
    prices = product.get("prices")
    if not isinstance(prices, dict):
        item.errors.append(missing_price())
        return
    currency = str(prices.get("currency_code") or "EUR")
    if currency != "EUR":
        item.errors.append(wrong_currency(currency))
        return
    minor = prices.get("currency_minor_unit", 2)
    if not isinstance(minor, int) or not 0 <= minor <= 4:
        item.errors.append(not_a_price(prices.get("price")))
        return

    def amount(value):
        number = decimal(value)
        return None if number is None else number.scaleb(-minor)

    # A variable (or grouped) product whose variants' prices differ has their range; when
    # they are all the same, the range is null and `price` is theirs.
    price_range = prices.get("price_range")
    if isinstance(price_range, dict):
        low, high = amount(price_range.get("min_amount")), amount(price_range.get("max_amount"))
        raw = price_range.get("min_amount")
        item.from_price = low is not None and high is not None and high != low
    else:
        raw = prices.get("price")
        low = amount(raw)
    if low is None:
        item.errors.append(not_a_price(raw) if raw not in (None, "") else missing_price())
        return
    item.price = low
    # A range's regular price is the lowest regular price of any variant, not necessarily
    # the cheapest one's: no former price beside a "from" price.
    if product.get("on_sale") and not item.from_price:
        item.former_price = amount(prices.get("regular_price"))
