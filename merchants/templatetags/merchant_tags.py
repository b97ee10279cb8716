from datetime import timedelta

from django import template
from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from home import page_cache
from merchants.models import MerchantIndexPage, MerchantPage, ShopCategory

register = template.Library()

RECENT_SHOPS = 4
SHOP_INDEX_URL_SECONDS = 24 * 60 * 60  # a purge replaces it sooner


def public_shops():
    """Live shops outside every private section: Wagtail's `public()`, whose rule (a page
    restricted, or below one that is) is here a subquery, not a query of its own, so that
    the home page's shop lists cost one query each."""
    in_private_section = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return MerchantPage.objects.live().exclude(Exists(in_private_section))


@register.simple_tag(takes_context=True)
def shop_index_url(context):
    """The URL of the shop index, which every page's header links to: kept in the cache per
    site until the page cache's next purge (a page published, moved or a site changed), and
    looked up once per request."""
    request = context.get("request")
    cached = getattr(request, "_portal_shop_index_url", None)
    if cached is not None:
        return cached
    site = Site.find_for_request(request) if request is not None else None
    key = f"shop-index-url:{site.pk if site else ''}:{page_cache.generation()}"
    cache = caches[settings.PORTAL_PAGE_CACHE]
    url = cache.get(key)
    if url is None:
        index = MerchantIndexPage.objects.live().only("id", "url_path", "path", "depth").first()
        url = index.get_url(request=request) if index else "/"
        cache.set(key, url, SHOP_INDEX_URL_SECONDS)
    if request is not None:
        request._portal_shop_index_url = url
    return url


@register.inclusion_tag("components/category_tiles.html", takes_context=True)
def category_tiles(context):
    """Every shop category that has at least one live shop, with its number of shops."""
    categories = (
        ShopCategory.objects.annotate(
            shop_count=Count("shops", filter=Q(shops__live=True), distinct=True)
        )
        .filter(shop_count__gt=0)
        .order_by("name")
    )
    return {
        "categories": categories,
        "index_url": shop_index_url(context),
        "request": context.get("request"),
    }


@register.simple_tag
def live_shops(rows):
    """The live shops of editor-chosen rows (featured shops, a campaign's shops), in order."""
    ids = [row.shop_id for row in rows]
    shops = public_shops().filter(pk__in=ids).for_cards().in_bulk()
    return [shops[pk] for pk in ids if pk in shops]


@register.simple_tag
def recently_updated_shops(limit=RECENT_SHOPS):
    """The shops whose page or products changed last, within PORTAL_STALE_AFTER_DAYS: the
    home page shows the town's shops are alive. One query."""
    since = timezone.now() - timedelta(days=settings.PORTAL_STALE_AFTER_DAYS)
    shops = public_shops().with_last_update().filter(last_update__gte=since)
    return list(shops.order_by("-last_update", "title")[:limit])
