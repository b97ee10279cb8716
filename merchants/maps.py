"""What the maps show: shop markers and directions links (the tile layer of the settings is
home/tiles.py's, which the Content-Security-Policy reads too).

Leaflet (django-leaflet's copy) draws them in static/js/maps.js and latlng-picker.js; every
page is complete without them: the list of shops and their addresses are the content."""

from urllib.parse import urlencode

from django.db.models import Avg


def address_line(shop):
    return f"{shop.street_address}, {shop.postcode} {shop.town}"


def marker(shop, request=None):
    return {
        "name": shop.title,
        "url": shop.get_url(request=request),
        "lat": float(shop.latitude),
        "lng": float(shop.longitude),
        "address": address_line(shop),
    }


def shop_markers(shops, request=None):
    """A marker for each shop of `shops` (already read: the page of the list the map sits
    on) that has a position. Never every shop of the town: the page stays the same weight
    however many shops it has, and the map costs no query of its own."""
    return [
        marker(shop, request)
        for shop in shops
        if shop.latitude is not None and shop.longitude is not None
    ]


def directions_url(shop):
    """A route to the shop in the visitor's own map app.

    Google Maps' cross-platform URL is the one link that phones hand to a map app: Android
    opens Google Maps, iOS opens Google Maps when installed and the web planner otherwise,
    a desktop gets the web planner. A geo: URI does nothing on iOS and desktops, an Apple
    Maps link nothing on Android. The position, when the shop has one, was placed by hand
    and beats geocoding the address, which is used otherwise."""
    if shop.latitude is not None and shop.longitude is not None:
        destination = f"{shop.latitude:f},{shop.longitude:f}"
    else:
        destination = address_line(shop)
    return "https://www.google.com/maps/dir/?" + urlencode({"api": 1, "destination": destination})


def placed_shops_centre():
    """Where the admin's picker opens for a shop not placed yet: amid the shops already
    placed, which is the town, without a setting to keep. None before the first one."""
    from .models import MerchantPage

    centre = MerchantPage.objects.aggregate(lat=Avg("latitude"), lng=Avg("longitude"))
    if centre["lat"] is None or centre["lng"] is None:
        return None
    return [float(centre["lat"]), float(centre["lng"])]
