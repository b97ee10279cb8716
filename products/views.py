"""The catalogue in the admin: each merchant sees and changes its own shops' products only.

Wagtail checks model permissions on snippet views and lists every object in choosers and
bulk actions; here every view that takes a product, the listing, the chooser and the bulk
actions (bulk_actions.py) go through the product permission policy, itself the foundation's
ownership rule.
"""

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views import snippets
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from home.spreadsheets import SpreadsheetSafeExportMixin
from merchants.admin_guards import OwnObjectMixin, PortalSnippetViewSet, ShopOwnedSnippetViewSet

from .filters import ProductFilterSet
from .models import Product, ProductCategory, ProductImage
from .panels import product_edit_handler


class ProductCopyView(OwnObjectMixin, snippets.CopyView):
    """“Duplicate”: a new product filled in from this one, photos included; the reference
    and the web address are left for the new one to take."""

    def get_initial_form_instance(self):
        original = self.get_object()
        copy = Product.objects.get(pk=original.pk)
        copy.pk = None
        copy.name = gettext("%(name)s (copy)") % {"name": original.name}
        copy.sku = copy.slug = ""
        copy.images = [
            ProductImage(
                image_id=photo.image_id, alt_text=photo.alt_text, sort_order=photo.sort_order
            )
            for photo in original.images.all()
        ]
        return copy


class ProductIndexView(SpreadsheetSafeExportMixin, snippets.IndexView):
    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.add_url:
            buttons.append(
                HeaderButton(
                    _("Import from a file"), url=reverse("products_import"), icon_name="upload"
                )
            )
        return buttons


class ProductViewSet(ShopOwnedSnippetViewSet):
    model = Product
    icon = "tag"
    menu_label = _("Products")
    list_display = ["name", "shop", "price", "availability", "is_active", "updated_at"]
    list_export = ["name", "sku", "shop", "price", "availability", "is_active", "updated_at"]
    export_filename = "products"
    filterset_class = ProductFilterSet
    # No search_fields: the search index's own fields (name, reference, description), which
    # every backend supports; naming fields breaks SQLite's full-text search.
    ordering = ["-updated_at"]
    inspect_view_enabled = True
    copy_view_enabled = True

    index_view_class = ProductIndexView
    copy_view_class = ProductCopyView
    edit_handler = product_edit_handler


class ProductCategoryViewSet(PortalSnippetViewSet):
    model = ProductCategory
    chooser_viewset_class = SnippetChooserViewSet  # shared: each merchant picks its own
    icon = "folder-open-inverse"
    menu_label = _("Product categories")
    list_display = ["name", "slug"]


class CatalogueGroup(SnippetViewSetGroup):
    menu_label = _("Catalogue")
    menu_icon = "tag"
    menu_order = 210
    items = (ProductViewSet, ProductCategoryViewSet)
