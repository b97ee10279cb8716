from datetime import timedelta

from django import template
from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from wagtail.models import Page, Site

from home import page_cache
from home.models import in_rows_order
from home.pages import routed_ancestors, until_purge
from merchants.models import MerchantIndexPage, MerchantPage, ShopCategory

register = template.Library()

RECENT_SHOPS = 4


def public_shops():
    return MerchantPage.objects.live().public()


def served_shop_index(context):
    """The live shop index among the page being served and the pages routing read above it
    (the index, a shop, a product), or None: no query."""
    page, request = context.get("page"), context.get("request")
    if not isinstance(page, Page) or request is None or getattr(request, "is_preview", False):
        return None  # a preview's page may have a slug not published yet
    for candidate in [page, *(routed_ancestors(page) or ())]:
        if candidate.specific_class is MerchantIndexPage and candidate.live:
            return candidate
    return None


@register.simple_tag(takes_context=True)
def shop_index_url(context):
    """The URL of the shop index, which every page's header links to: that of the page
    served if it is the index or below it, or read with it (the home page), else kept per
    site until the next purge; looked up once per request."""
    request = context.get("request")
    cached = getattr(request, "_portal_shop_index_url", None)
    if cached is not None:
        return cached

    def look_up():
        index = MerchantIndexPage.objects.live().only("id", "url_path", "path", "depth").first()
        return index.get_url(request=request) if index else "/"

    page = context.get("page")
    if (index := served_shop_index(context)) is not None:
        url = index.get_url(request=request)
    elif isinstance(page, Page) and "shop_index_url_path" in page.__dict__:
        # Read with the page served (the home page: HomePage.served_annotations).
        url_path = page.shop_index_url_path
        url = Page(url_path=url_path).get_url(request=request) if url_path else "/"
    else:
        site = Site.find_for_request(request) if request is not None else None
        url = until_purge(f"shop-index-url:{site.pk if site else ''}", look_up)
    if request is not None:
        request._portal_shop_index_url = url
    return url


@register.inclusion_tag("components/category_tiles.html", takes_context=True)
def category_tiles(context):
    """Every shop category that has at least one live shop, with its number of shops; kept
    until the next purge (a shop published or unpublished, a category changed)."""

    def categories():
        return list(
            ShopCategory.objects.annotate(
                shop_count=Count("shops", filter=Q(shops__live=True), distinct=True)
            )
            .filter(shop_count__gt=0)
            .order_by("name")
        )

    return {
        "categories": until_purge("category-tiles", categories),
        "index_url": shop_index_url(context),
        "request": context.get("request"),
    }


def live_shops(rows, renditions=True, recent=False):
    """The live shops of editor-chosen rows (featured shops, a campaign's shops), in order;
    with `recent`, also the RECENT_SHOPS shops whose page or products changed last, within
    PORTAL_STALE_AFTER_DAYS (the home page shows the town's shops are alive), newest first
    with their `last_update`. One query for both."""
    shops = public_shops().for_cards(renditions)
    if not recent:
        return in_rows_order(shops, rows, "shop")[0], []
    since = timezone.now() - timedelta(days=settings.PORTAL_STALE_AFTER_DAYS)
    updated_last = (
        public_shops()
        .with_last_update()
        .filter(last_update__gte=since)
        .order_by("-last_update", "title")
        .values("pk")[:RECENT_SHOPS]
    )
    chosen, updated = in_rows_order(shops.with_last_update(), rows, "shop", also=updated_last)
    updated.sort(key=lambda shop: shop.title)
    updated.sort(key=lambda shop: shop.last_update, reverse=True)
    if updated:
        # The oldest of them leaves the list when its update gets too old.
        oldest = updated[-1].last_update
        page_cache.expires_at(oldest + timedelta(days=settings.PORTAL_STALE_AFTER_DAYS))
    return chosen, updated
