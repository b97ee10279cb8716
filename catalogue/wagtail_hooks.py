"""The catalogue sources in the admin: the viewset (views.py), its bulk delete, the
ownership rule they all ask, and the merchant's panel on the home page (panels.py)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from merchants.admin_guards import ShopOwnedPermissionPolicy

from .models import CatalogueSource
from .panels import add_catalogue_panel
from .views import CatalogueSourceViewSet, SourceDeleteBulkAction

# Before the viewset is registered, so that every view, bulk action and chooser uses it.
register_permission_policy(CatalogueSource, ShopOwnedPermissionPolicy(CatalogueSource))

register_snippet(CatalogueSourceViewSet)

# After Wagtail's own snippet actions (order 0), so that this replaces its delete here.
hooks.register("register_bulk_action", SourceDeleteBulkAction, order=100)
hooks.register("construct_homepage_panels", add_catalogue_panel)
