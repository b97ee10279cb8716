from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Neighbourhood, ShopCategory, ShopMembership


class ShopCategoryViewSet(SnippetViewSet):
    model = ShopCategory
    icon = "tag"
    menu_label = _("Shop categories")
    list_display = ["name", "icon", "slug"]
    search_fields = ["name"]


class NeighbourhoodViewSet(SnippetViewSet):
    model = Neighbourhood
    icon = "site"
    menu_label = _("Neighbourhoods")
    list_display = ["name", "slug"]
    search_fields = ["name"]


class ShopMembershipViewSet(SnippetViewSet):
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
    items = (ShopCategoryViewSet, NeighbourhoodViewSet, ShopMembershipViewSet)


register_snippet(ShopsGroup)
