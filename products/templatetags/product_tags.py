from django import template

from home.models import in_rows_order, with_renditions
from merchants.templatetags.merchant_tags import live_shops
from products.models import Product

register = template.Library()

RECENT_WINDOW = 60  # the latest product updates the recent ones are chosen from


@register.simple_tag(takes_context=True)
def product_url(context, product):
    return product.get_url(request=context.get("request"))


@register.simple_tag
def cards(shop_rows, product_rows, recent=0):
    """What a page that puts shops and products forward shows (the home page, a campaign):
    the live shops and visible products its editors chose, in their order; with `recent`,
    the latest product updates (one per shop) and the shops updated last. The shops are read
    in one query, the products in one more, and every card's renditions in one more."""
    shops, recent_shops = live_shops(shop_rows, renditions=False, recent=bool(recent))
    latest = Product.objects.visible().order_by("-updated_at").values("pk")[:RECENT_WINDOW]
    products, latest_products = in_rows_order(
        Product.objects.visible().for_cards(renditions=False),
        product_rows,
        "product",
        also=latest if recent else None,
    )
    recent_products = one_per_shop(latest_products, recent)
    with_renditions(
        [shop.cover_image for shop in shops]
        + [product.main_image for product in [*products, *recent_products]]
    )
    return {
        "shops": shops,
        "products": products,
        "recent_products": recent_products,
        "recent_shops": recent_shops,
    }


def one_per_shop(products, limit):
    """The latest updates of `products`, one per shop, so the home page shows the town is
    alive."""
    chosen, seen_shops = [], set()
    for product in sorted(products, key=lambda product: product.updated_at, reverse=True):
        if len(chosen) == limit:
            break
        if product.shop_id not in seen_shops:
            chosen.append(product)
            seen_shops.add(product.shop_id)
    return chosen
