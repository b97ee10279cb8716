"""The Content-Security-Policy of every response: strict on the public site, looser in the
admin (django-csp 4; the policies are in portal/settings/base.py).

One middleware chooses the policy by path rather than django-csp's per-view decorators:
the admin is hundreds of Wagtail views (and those of the portal's hooks), its log-in and
its error pages, which no decorator reaches one by one.

- Public pages: CONTENT_SECURITY_POLICY, no 'unsafe-inline' and no nonce (pages may be
  cached, and a nonce must change with every response). Every script and stylesheet is a
  static file; data for scripts is JSON (`json_script`), which is never executed; the brand
  colour is a stylesheet of its own (home.views.brand_stylesheet).
- The admin (/admin/): PORTAL_ADMIN_CONTENT_SECURITY_POLICY. Wagtail 8 still writes inline
  scripts and style attributes (inline panels, the date-time widget, telepath data…), so
  it allows 'unsafe-inline'; everything still comes from the portal's own origin.
- Both: the map tiles' origin is added to img-src, derived from the tile URL that the maps
  use (home.tiles), so that the policy follows PORTAL_MAP_TILE_URL.
"""

from functools import lru_cache

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.urls import reverse

from home.tiles import tile_layer, tile_source


def is_admin_path(path):
    return path.startswith(reverse("wagtailadmin_home"))


@lru_cache(maxsize=8)
def _tile_source(url):
    return tile_source(url)


def map_tiles_source():
    """The CSP source of the map tiles, or None when there is no map or the tiles are the
    portal's own."""
    if not settings.PORTAL_MAPS_ENABLED:
        return None
    return _tile_source(tile_layer()["url"])


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        if parts.config is None and is_admin_path(request.path_info):
            parts.config = default_config(
                settings.PORTAL_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
            )
        tiles = map_tiles_source()
        if tiles:
            parts.update = {**(parts.update or {})}
            parts.update["img-src"] = [*parts.update.get("img-src", ()), tiles]
        return parts
