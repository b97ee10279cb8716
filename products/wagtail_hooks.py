"""The catalogue in the admin, registered with Wagtail: the viewsets are in views.py, the
bulk actions in bulk_actions.py, the ownership rule they all ask in permissions.py."""

from django.urls import path
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from . import bulk_actions, quick_actions
from .import_views import import_view
from .models import Product
from .permissions import ProductPermissionPolicy
from .views import CatalogueGroup

# Before the viewset is registered, so that every view, bulk action and chooser uses it.
register_permission_policy(Product, ProductPermissionPolicy(Product))

register_snippet(CatalogueGroup)


@hooks.register("register_admin_urls")
def register_import_url():
    return [path("products/import/", import_view, name="products_import")]


# After Wagtail's own snippet actions (order 0), so that these replace its delete for products.
hooks.register("register_bulk_action", bulk_actions.ProductDeleteBulkAction, order=100)
hooks.register("register_bulk_action", bulk_actions.OutOfStockBulkAction, order=100)
hooks.register("register_bulk_action", bulk_actions.InStockBulkAction, order=100)
hooks.register("register_bulk_action", bulk_actions.HideBulkAction, order=100)
hooks.register("register_bulk_action", bulk_actions.ShowBulkAction, order=100)


# The merchant's shop panel and its product quick actions (quick_actions.py)

hooks.register("register_admin_urls", quick_actions.admin_urls)
hooks.register("construct_homepage_panels", quick_actions.add_shop_panels)
