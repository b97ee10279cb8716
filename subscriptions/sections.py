"""The digest's sections: new products, products back in stock and news at the shops
followed, and the town's coming events (registered in wagtail_hooks.py; see digest.py)."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from events.models import EventPage
from events.recurrence import next_occurrences
from news.models import NewsItem
from products.models import Availability, Product

from .digest import ITEMS_PER_SECTION, Item, Section, first_items
from .links import absolute


def _products(follows, *conditions, **filters):
    return (
        Product.objects.visible()
        .filter(follows.shops_filter(), *conditions, **filters)
        .select_related("shop")
        .distinct()
        .order_by("shop__title", "name")
    )


def _section(title, products):
    products, more = first_items(products)
    items = [
        Item(product.name, absolute(product.get_url()), product.shop.title) for product in products
    ]
    return Section(title, items, more)


def new_products(follows, since, until):
    products = _products(follows, created_at__gt=since, created_at__lte=until)
    return _section(_("New in the shops you follow"), products)


def back_in_stock(follows, since, until):
    products = _products(
        follows,
        ~Q(availability=Availability.OUT_OF_STOCK),
        restocked_at__gt=since,
        restocked_at__lte=until,
        created_at__lte=since,  # a new product is said new, not back
    )
    return _section(_("Back in stock"), products)


def shop_news(follows, since, until):
    """What the shops followed posted since the last digest and still show."""
    items, more = first_items(
        NewsItem.objects.visible()
        .filter(follows.shops_filter(), posted_at__gt=since, posted_at__lte=until)
        .select_related("shop")
        .distinct()
        .order_by("shop__title", "-posted_at")
    )
    return Section(
        _("News from the shops you follow"),
        [
            Item(
                Truncator(item.text).chars(140),
                absolute(f"{item.shop.get_url()}#news-{item.pk}"),
                item.shop.title,
            )
            for item in items
        ],
        more,
    )


COMING_EVENTS_DAYS = 14


def coming_events(follows, since, until):
    """The next fortnight's events: every one for a follower of the town's news, else those
    a shop followed takes part in."""
    events = EventPage.objects.shown().not_over(timezone.localdate(until))
    if not follows.town_news:
        events = events.filter(follows.shops_filter(prefix="shops__")).distinct()
    soon = until + timedelta(days=COMING_EVENTS_DAYS)
    found = [o for o in next_occurrences(events, until) if o.start < soon]
    return Section(
        _("Coming events"),
        [
            Item(
                occurrence.event.title,
                absolute(occurrence.event.get_url()),
                date_format(timezone.localtime(occurrence.start), "l j F, H:i"),
            )
            for occurrence in found[:ITEMS_PER_SECTION]
        ],
        max(len(found) - ITEMS_PER_SECTION, 0),
    )
