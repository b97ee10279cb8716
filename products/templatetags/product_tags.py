from django import template

from home.models import in_rows_order, with_renditions
from merchants.templatetags.merchant_tags import live_shops, recently_updated_shops
from products.models import Product

register = template.Library()

RECENT_WINDOW = 60


@register.simple_tag(takes_context=True)
def product_url(context, product):
    return product.get_url(request=context.get("request"))


@register.simple_tag
def cards(shop_rows, product_rows, recent=0):
    """What a page that puts shops and products forward shows (the home page, a campaign):
    the live shops and visible products its editors chose, in their order; with `recent`,
    the latest product updates (one per shop) and the shops updated last. The products are
    read in one query, and every card's renditions in one more."""
    shops = live_shops(shop_rows, renditions=False)
    recent_ids = recently_updated_ids(recent) if recent else []
    products, recent_products = in_rows_order(
        Product.objects.visible().for_cards(renditions=False), product_rows, "product", recent_ids
    )
    recent_products = [recent_products[pk] for pk in recent_ids if pk in recent_products]
    with_renditions(
        [shop.cover_image for shop in shops]
        + [product.main_image for product in [*products, *recent_products]]
    )
    return {
        "shops": shops,
        "products": products,
        "recent_products": recent_products,
        "recent_shops": recently_updated_shops() if recent else [],
    }


def recently_updated_ids(limit):
    """The latest product updates, one per shop, so the home page shows the town is alive."""
    recent = Product.objects.visible().order_by("-updated_at").values_list("pk", "shop_id")
    chosen, seen_shops = [], set()
    for pk, shop_id in recent[:RECENT_WINDOW]:
        if shop_id not in seen_shops:
            chosen.append(pk)
            seen_shops.add(shop_id)
        if len(chosen) == limit:
            break
    return chosen
