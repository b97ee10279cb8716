"""Shop news in the admin: the viewset and its bulk delete (views.py), and the ownership
rule they all ask."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from merchants.admin_guards import ShopOwnedPermissionPolicy

from .models import NewsItem
from .panels import add_news_panel
from .views import NewsDeleteBulkAction, NewsItemViewSet

# Before the viewset is registered, so that every view, bulk action and chooser uses it.
register_permission_policy(NewsItem, ShopOwnedPermissionPolicy(NewsItem))

register_snippet(NewsItemViewSet)

# After Wagtail's own snippet actions (order 0), so that this replaces its delete here.
hooks.register("register_bulk_action", NewsDeleteBulkAction, order=100)
hooks.register("construct_homepage_panels", add_news_panel)
