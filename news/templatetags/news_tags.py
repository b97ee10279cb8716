"""The shops' news on public pages: a shop's on its page, the latest of every shop on the
home page. Each list costs the same queries whatever its length (the items with their shops
and photos, then the photos' renditions), and shows what is visible today: a page is never
kept past midnight, when an item's end date passes."""

from django import template

from ..models import NewsItem

register = template.Library()

SHOP_NEWS = 3  # above the products: short on a phone
HOME_NEWS = 6


def with_photos(items):
    return items.select_related("shop", "photo").prefetch_related("photo__renditions")


@register.simple_tag
def shop_news(shop):
    """The shop's latest visible items; none for a shop not saved yet (a preview)."""
    if shop.pk is None:
        return []
    return list(
        with_photos(NewsItem.objects.visible().filter(shop=shop).newest_first())[:SHOP_NEWS]
    )


@register.simple_tag
def latest_news():
    """The latest visible items of every public shop, for the home page."""
    return list(with_photos(NewsItem.objects.visible().newest_first())[:HOME_NEWS])
