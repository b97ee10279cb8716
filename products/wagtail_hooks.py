from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Product, ProductCategory


class ProductFilterSet(WagtailFilterSet):
    class Meta:
        model = Product
        fields = ["shop", "availability", "is_active", "category"]


class ProductViewSet(SnippetViewSet):
    model = Product
    icon = "tag"
    menu_label = _("Products")
    list_display = ["name", "shop", "price", "availability", "is_active", "updated_at"]
    list_export = ["name", "sku", "shop", "price", "availability", "is_active", "updated_at"]
    filterset_class = ProductFilterSet
    search_fields = ["name", "sku"]
    ordering = ["-updated_at"]

    def get_queryset(self, request):
        return Product.objects.select_related("shop")


class ProductCategoryViewSet(SnippetViewSet):
    model = ProductCategory
    icon = "folder-open-inverse"
    menu_label = _("Product categories")
    list_display = ["name", "slug"]


class CatalogueGroup(SnippetViewSetGroup):
    menu_label = _("Catalogue")
    menu_icon = "tag"
    menu_order = 210
    items = (ProductViewSet, ProductCategoryViewSet)


register_snippet(CatalogueGroup)
