from django import template
from django.conf import settings

from home import tiles
from merchants import maps

register = template.Library()


@register.simple_tag(takes_context=True)
def shops_map(context, shops):
    """The data of the map of `shops` (the shop index's current page of shops), or None
    when maps are off or no shop of them has a position."""
    if not settings.PORTAL_MAPS_ENABLED:
        return None
    markers = maps.shop_markers(shops, context.get("request"))
    if not markers:
        return None
    # The same links are in the list right below: the markers stay out of the tab order.
    return {"tiles": tiles.tile_layer(), "markers": markers, "keyboard": False}


@register.simple_tag(takes_context=True)
def shop_map(context, shop):
    """The data of the small map of one shop, or None when maps are off or it has no position."""
    if not settings.PORTAL_MAPS_ENABLED or shop.latitude is None or shop.longitude is None:
        return None
    return {
        "tiles": tiles.tile_layer(),
        "markers": [maps.marker(shop, context.get("request"))],
        "keyboard": True,
    }


@register.filter
def directions_url(shop):
    return maps.directions_url(shop)
