"""The map tiles: the layer the settings choose, and the Content-Security-Policy source that
lets a page load them. Here, below every app, so that the maps (merchants) and the policy
(home/csp.py) read the same settings."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


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
