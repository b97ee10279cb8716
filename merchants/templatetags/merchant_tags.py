from django import template
from django.db.models import Count, Q

from merchants.models import MerchantIndexPage, ShopCategory

register = template.Library()


@register.simple_tag(takes_context=True)
def shop_index_url(context):
    """The URL of the shop index, looked up once per request."""
    request = context.get("request")
    cached = getattr(request, "_portal_shop_index_url", None)
    if cached is not None:
        return cached
    index = MerchantIndexPage.objects.live().only("id", "url_path", "path", "depth").first()
    url = index.get_url(request=request) if index else "/"
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
    from merchants.models import MerchantPage

    ids = [row.shop_id for row in rows]
    shops = MerchantPage.objects.live().public().filter(pk__in=ids).for_cards().in_bulk()
    return [shops[pk] for pk in ids if pk in shops]
