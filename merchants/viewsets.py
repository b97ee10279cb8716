"""The shops' snippets in the admin, grouped under one "Shops" menu."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from .admin_guards import PortalSnippetViewSet
from .application_admin import ApplicationViewSet
from .models import Neighbourhood, ShopCategory, ShopMembership


class ShopCategoryViewSet(PortalSnippetViewSet):
    model = ShopCategory
    chooser_viewset_class = SnippetChooserViewSet  # shared: each merchant picks its own
    icon = "tag"
    menu_label = _("Shop categories")
    list_display = ["name", "icon", "slug"]
    search_fields = ["name"]


class NeighbourhoodViewSet(PortalSnippetViewSet):
    model = Neighbourhood
    chooser_viewset_class = SnippetChooserViewSet  # shared: each merchant picks its own
    icon = "site"
    menu_label = _("Neighbourhoods")
    list_display = ["name", "slug"]
    search_fields = ["name"]


class ShopMembershipViewSet(PortalSnippetViewSet):
    model = ShopMembership
    icon = "group"
    menu_label = _("Shop members")
    list_display = ["user", "shop", "created_at"]
    list_filter = ["shop"]

    def get_queryset(self, request):
        return ShopMembership.objects.select_related("user", "shop")


class ShopsGroup(SnippetViewSetGroup):
    menu_label = _("Shops")
    menu_icon = "home"
    menu_order = 200
    items = (ApplicationViewSet, ShopCategoryViewSet, NeighbourhoodViewSet, ShopMembershipViewSet)
