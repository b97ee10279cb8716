"""The catalogue in the admin: each merchant sees and changes its own shops' products only.

Wagtail checks model permissions on snippet views and lists every object in choosers and
bulk actions; here every view that takes a product, the listing, the chooser and the bulk
actions (bulk_actions.py) go through the product permission policy, itself the foundation's
ownership rule.
"""

from django.contrib.admin.utils import unquote
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views import chooser, snippets
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from home.spreadsheets import SpreadsheetSafeExportMixin
from merchants.admin_guards import HeldSnippetChooserViewSet, PortalSnippetViewSet
from merchants.ownership import get_object_for_user

from .filters import ProductFilterSet
from .models import Product, ProductCategory, ProductImage
from .panels import product_edit_handler
from .permissions import own_products


class OwnProductMixin:
    """A view about one product, taken through the ownership rule before Wagtail's own checks
    can say more: another shop's product is as missing as one that never was (404)."""

    def setup(self, request, *args, **kwargs):
        get_object_for_user(
            Product.objects.all(), request.user, pk=unquote(str(kwargs[self.pk_url_kwarg]))
        )
        super().setup(request, *args, **kwargs)


def owned(view_class):
    return type(view_class.__name__, (OwnProductMixin, view_class), {})


class ProductCopyView(OwnProductMixin, snippets.CopyView):
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


class OwnProductsChooseMixin:
    def get_object_list(self):
        return own_products(self.request.user).select_related("shop")


class ProductChooseView(OwnProductsChooseMixin, chooser.ChooseView):
    pass


class ProductChooseResultsView(OwnProductsChooseMixin, chooser.ChooseResultsView):
    pass


class ProductChosenView(chooser.SnippetChosenView):
    def get_object(self, pk):
        return own_products(self.request.user).get(pk=pk)


class ProductChosenMultipleView(chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return own_products(self.request.user).filter(pk__in=[pk for pk in pks if pk.isdigit()])


class ProductChooserViewSet(HeldSnippetChooserViewSet):
    choose_view_class = ProductChooseView
    choose_results_view_class = ProductChooseResultsView
    chosen_view_class = ProductChosenView
    chosen_multiple_view_class = ProductChosenMultipleView


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


class ProductViewSet(PortalSnippetViewSet):
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
    add_view_class = snippets.CreateView
    edit_view_class = owned(snippets.EditView)
    copy_view_class = ProductCopyView
    delete_view_class = owned(snippets.DeleteView)
    usage_view_class = owned(snippets.UsageView)
    history_view_class = owned(snippets.HistoryView)
    inspect_view_class = owned(snippets.InspectView)
    chooser_viewset_class = ProductChooserViewSet
    edit_handler = product_edit_handler

    def get_queryset(self, request):
        return own_products(request.user).select_related("shop")


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
