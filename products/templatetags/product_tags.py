from django import template

from products.models import Product

register = template.Library()

RECENT_WINDOW = 60


@register.simple_tag(takes_context=True)
def product_url(context, product):
    return product.get_url(request=context.get("request"))


@register.simple_tag
def visible_products(rows):
    """The visible products of editor-chosen rows (featured products, a campaign's), in order."""
    ids = [row.product_id for row in rows]
    products = Product.objects.visible().filter(pk__in=ids).for_cards().in_bulk()
    return [products[pk] for pk in ids if pk in products]


@register.simple_tag
def recently_updated(limit=8):
    """The latest product updates, one per shop, so the home page shows the town is alive."""
    recent = Product.objects.visible().order_by("-updated_at").values_list("pk", "shop_id")
    chosen, seen_shops = [], set()
    for pk, shop_id in recent[:RECENT_WINDOW]:
        if shop_id not in seen_shops:
            chosen.append(pk)
            seen_shops.add(shop_id)
        if len(chosen) == limit:
            break
    products = Product.objects.filter(pk__in=chosen).for_cards().in_bulk()
    return [products[pk] for pk in chosen]
