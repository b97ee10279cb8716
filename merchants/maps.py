"""What the maps show: shop markers, the tile layer of the settings, directions links.

Leaflet (django-leaflet's copy) draws them in static/js/maps.js and latlng-picker.js; every
page is complete without them: the list of shops and their addresses are the content."""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Avg

# What a marker needs, and what Page.get_url reads.
MARKER_FIELDS = ("title", "url_path", "street_address", "postcode", "town", "latitude", "longitude")


def tile_layer():
    """Leaflet's tile URL and options, from django-leaflet's LEAFLET_CONFIG: read at each
    use (django-leaflet reads it once at import), so both always show the same tiles."""
    _label, url, options = settings.LEAFLET_CONFIG["TILES"][0]
    return {"url": url, "options": dict(options)}


def tile_source(url):
    """The Content-Security-Policy source that lets a page load the tiles of `url`, a
    Leaflet tile URL template: its scheme, host and port. A placeholder in the host ({s},
    the tile servers a, b, c…) becomes a wildcard, which CSP allows as the leftmost label
    only, so it covers the labels up to the last placeholder:
    https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png → https://*.tile.openstreetmap.org.
    None for tiles served by the portal's own host (a relative URL): 'self' covers them."""
    parts = urlsplit(url)
    if not parts.netloc:
        return None
    if parts.scheme not in ("http", "https", ""):  # "": //host/…, the page's own scheme
        raise ImproperlyConfigured(f"The map tile URL must start with https:// ({url}).")
    labels = parts.hostname.split(".")
    templated = [index for index, label in enumerate(labels) if "{" in label]
    if templated:
        labels = labels[templated[-1] + 1 :]
        if len(labels) < 2:
            raise ImproperlyConfigured(
                f"The map tile URL has a placeholder in its domain name itself ({url})."
            )
        labels.insert(0, "*")
    host = ".".join(labels)
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    scheme = f"{parts.scheme}://" if parts.scheme else ""
    return f"{scheme}{host}{f':{parts.port}' if parts.port else ''}"


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
    """A marker for each shop of `shops` that has a position: the whole filtered result,
    not one page of it, read in one query."""
    placed = shops.filter(latitude__isnull=False, longitude__isnull=False).only(*MARKER_FIELDS)
    return [marker(shop, request) for shop in placed]


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
