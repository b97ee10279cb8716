"""The feeds: Google Merchant Center's product and local inventory data (RSS 2.0 with the
`g:` namespace), Meta's catalogue (CSV) and Atom feeds of what is new or back in stock (and,
a shop's, of its news).

Each answers ETag and Last-Modified from its scope's version (scopes.py) and 304 when
unchanged, and costs the same queries whatever the number of products.
"""

import csv
from functools import wraps

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.xmlutils import SimplerXMLGenerator
from django.views.decorators.http import condition, require_safe

from home.models import PortalSettings
from home.structured_data import absolute_url, site_name
from news.models import NewsItem
from products.structured_data import price_text, product_url

from . import content
from .scopes import NEWS_COUNT, NEWS_DAYS, Scope

RSS_CONTENT_TYPE = "application/rss+xml; charset=utf-8"
XML_CONTENT_TYPE = "application/xml; charset=utf-8"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
META_COLUMNS = (
    "id",
    "title",
    "description",
    "availability",
    "condition",
    "price",
    "sale_price",
    "link",
    "image_link",
    "additional_image_link",
    "brand",
)


def feed_view(kind):
    """A feed view, its answer conditional on the version of what it lists."""

    def decorator(view):
        def etag(request, **kwargs):
            return Scope.from_request(request, **kwargs).etag(request, kind)

        def last_modified(request, **kwargs):
            return Scope.from_request(request, **kwargs).last_modified()

        @require_safe
        @condition(etag_func=etag, last_modified_func=last_modified)
        @wraps(view)
        def wrapper(request, **kwargs):
            return view(request, Scope.from_request(request, **kwargs))

        return wrapper

    return decorator


def channel(request, scope):
    """The title, address and description of a feed's channel."""
    if scope.shop is not None:
        return scope.shop.title, scope.shop.get_full_url(request), scope.shop.tagline
    name = site_name(PortalSettings.for_request(request))
    return name, absolute_url(request, "/"), name


def google_feed(request, scope, items, content_type):
    """An RSS 2.0 document of `items`, each a list of (attribute, value) in `g:`."""
    response = HttpResponse(content_type=content_type)
    xml = SimplerXMLGenerator(response, "utf-8", short_empty_elements=True)
    xml.startDocument()
    xml.startElement("rss", {"version": "2.0", "xmlns:g": content.GOOGLE_NAMESPACE})
    xml.startElement("channel", {})
    for name, value in zip(("title", "link", "description"), channel(request, scope), strict=True):
        xml.addQuickElement(name, content.clean(value))
    for fields in items:
        xml.startElement("item", {})
        for name, value in fields:
            xml.addQuickElement(f"g:{name}", value)
        xml.endElement("item")
    xml.endElement("channel")
    xml.endElement("rss")
    xml.endDocument()
    return response


def product_item(product, request):
    """[(attribute, value)] of one product in Google's product data."""
    link = product_url(product, request)
    photos = content.photo_urls(product, link)
    availability = content.PRODUCT_AVAILABILITY[product.availability]
    fields = [
        ("id", content.feed_id(product)),
        ("title", content.title(product)),
        ("description", content.description(product)),
        ("link", link),
        ("image_link", photos[0]),
        *(("additional_image_link", url) for url in photos[1:]),
        ("availability", availability),
    ]
    if availability == "backorder":
        fields.append(("availability_date", content.available_on()))
    fields += [*content.prices(product), ("condition", "new"), *content.identifiers(product)]
    if product.category is not None:
        fields.append(("product_type", content.clean(product.category.name)))
    return fields


@feed_view("google")
def google_products(request, scope):
    products = scope.products_with_photos()
    return google_feed(
        request, scope, (product_item(p, request) for p in products), RSS_CONTENT_TYPE
    )


@feed_view("local")
def local_inventory(request, scope):
    """The stock of each shop, named by its Google Business Profile store code; the
    products are those of the product feed, under the same ids. A shop without a store
    code has no such feed (404): Merchant Center then reports the address as broken,
    rather than reading an empty stock."""
    if scope.shop is not None and not scope.shop.store_code:
        raise Http404
    items = (
        [
            ("store_code", content.clean(product.shop.store_code)),
            ("id", content.feed_id(product)),
            ("availability", content.LOCAL_AVAILABILITY[product.availability]),
            *content.prices(product),
            *content.pickup(product),
        ]
        for product in scope.products_with_photos().exclude(shop__store_code="")
    )
    return google_feed(request, scope, items, XML_CONTENT_TYPE)


@feed_view("meta")
def meta_catalogue(request, scope):
    """Meta's catalogue as CSV, quoted by the csv module (commas, quotes, line breaks).
    Meta requires a brand: the product's, else the shop's name."""
    response = HttpResponse(content_type=CSV_CONTENT_TYPE)
    writer = csv.writer(response)
    writer.writerow(META_COLUMNS)
    for product in scope.products_with_photos():
        link = product_url(product, request)
        photos = content.photo_urls(product, link)
        prices = dict(content.prices(product))
        writer.writerow(
            (
                content.feed_id(product),
                content.title(product),
                content.description(product),
                content.META_AVAILABILITY[product.availability],
                "new",
                prices["price"],
                prices.get("sale_price", ""),
                link,
                photos[0],
                ",".join(photos[1:]),
                content.brand(product) or content.clean(product.shop.title),
            )
        )
    return response


class NewsFeed(Feed):
    """What is new or back in stock, for feed readers, newsletters and social-posting tools."""

    feed_type = Atom1Feed

    def get_object(self, request, scope):
        self.request = request
        return scope

    def title(self, scope):
        where = scope.category.name if scope.category else channel(self.request, scope)[0]
        return content.clean(gettext("New and back in stock: %(where)s") % {"where": where})

    def link(self, scope):
        return channel(self.request, scope)[1]

    def feed_url(self, scope):
        # Django would build it from the Host header.
        return absolute_url(self.request, self.request.path)

    def feed_guid(self, scope):
        return self.feed_url(scope)

    def subtitle(self, scope):
        return gettext("The products new or back in stock in the last %(days)d days.") % {
            "days": NEWS_DAYS
        }

    def items(self, scope):
        """The products new or back in stock and, in a shop's feed, its news, newest first."""
        products = list(scope.news())
        news = list(scope.shop_news())
        if not news:
            return products
        entries = sorted(products + news, key=self.item_pubdate, reverse=True)
        return entries[:NEWS_COUNT]

    def is_restock(self, product):
        return product.restocked_at is not None and product.news_at == product.restocked_at

    def item_title(self, item):
        if isinstance(item, NewsItem):
            return content.clean(gettext("News: %(text)s") % {"text": item.text})
        text = (
            gettext("Back in stock: %(name)s")
            if self.is_restock(item)
            else gettext("New: %(name)s")
        )
        return content.clean(text % {"name": item.name})

    def item_description(self, item):
        # Atom's summary is HTML here: the plain text is escaped once more.
        if isinstance(item, NewsItem):
            return escape(content.clean(item.text, content.DESCRIPTION_LENGTH))
        text = f"{price_text(item)} — {content.description(item)}"
        return escape(content.clean(text, content.DESCRIPTION_LENGTH))

    def item_link(self, item):
        if isinstance(item, NewsItem):
            return f"{item.shop.get_full_url(self.request)}#news-{item.pk}"
        return product_url(item, self.request)

    def item_guid(self, item):
        if isinstance(item, NewsItem):  # one entry per item, however often it is edited
            return self.item_link(item)
        # One entry per event: a product back in stock twice is news twice.
        event = "restock" if self.is_restock(item) else "new"
        return f"{self.item_link(item)}#{event}-{item.news_at:%Y%m%d%H%M%S}"

    item_guid_is_permalink = False

    def item_updateddate(self, item):
        return item.updated_at if isinstance(item, NewsItem) else item.news_at

    def item_pubdate(self, item):
        return item.posted_at if isinstance(item, NewsItem) else item.news_at

    def item_author_name(self, item):
        return content.clean(item.shop.title)

    def item_categories(self, item):
        if isinstance(item, NewsItem):
            return []
        return [content.clean(item.category.name)] if item.category else []


@feed_view("news")
def news(request, scope):
    response = NewsFeed()(request, scope=scope)  # one per request: it keeps the request
    # Syndication dates the answer by its newest entry; the conditional headers date it by
    # the whole scope (a product hidden or deleted changes the feed too).
    response.headers.pop("Last-Modified", None)
    return response
