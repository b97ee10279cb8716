"""The catalogue in the admin: each merchant sees and changes its own shops' products only.

Wagtail checks model permissions on snippet views and lists every object in choosers and
bulk actions; here every view that takes a product, the listing, the chooser and the bulk
actions (bulk_actions.py) go through the product permission policy, itself the foundation's
ownership rule.
"""

from functools import cache

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import log
from wagtail.permissions import policy_registry
from wagtail.snippets.views import snippets
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from home.spreadsheets import SpreadsheetSafeExportMixin
from merchants.admin_guards import OwnObjectMixin, PortalSnippetViewSet, ShopOwnedSnippetViewSet
from merchants.ownership import get_object_for_user

from .filters import ProductFilterSet
from .models import Product, ProductCategory, ProductImage
from .panels import product_edit_handler, synced_product_edit_handler


class ProductCopyView(OwnObjectMixin, snippets.CopyView):
    """“Duplicate”: a new product filled in from this one, photos included; the reference
    and the web address are left for the new one to take."""

    def get_initial_form_instance(self):
        original = self.get_object()
        copy = Product.objects.get(pk=original.pk)
        copy.pk = None
        copy.name = gettext("%(name)s (copy)") % {"name": original.name}
        copy.sku = copy.slug = ""
        # The copy is the merchant's own, typed by hand: no catalogue source manages it.
        copy.source, copy.source_key = None, ""
        copy.hidden_by_source = copy.detached_from_source = False
        copy.images = [
            ProductImage(
                image_id=photo.image_id, alt_text=photo.alt_text, sort_order=photo.sort_order
            )
            for photo in original.images.all()
        ]
        return copy


@cache
def synced_panel():
    return synced_product_edit_handler.bind_to_model(Product)


class ProductEditView(OwnObjectMixin, snippets.EditView):
    """A product a catalogue source manages: the fields it gives read-only (panels.py)."""

    def get_panel(self):
        return synced_panel() if self.owned_object.is_synced else super().get_panel()

    def get_form_class(self):
        # The viewset hands the view its form class: a synced product's is its panel's.
        if self.owned_object.is_synced:
            return synced_panel().get_form_class()
        return super().get_form_class()


@require_POST
def detach_view(request, pk):
    """“Detach from the source”: the merchant edits the product by hand from now on; the
    source's changes are no longer applied to it."""
    product = get_object_for_user(Product.objects.all(), request.user, pk=unquote(str(pk)))
    policy = policy_registry.get_by_type(Product)
    if not policy.user_has_permission_for_instance(request.user, "change", product):
        raise PermissionDenied
    if product.is_synced:
        product.detached_from_source = True
        product.save(update_fields=["detached_from_source", "updated_at"])
        log(instance=product, action="wagtail.edit", user=request.user)
        messages.success(
            request,
            gettext(
                "%(name)s is detached from its source: edit it here, the source's changes "
                "are no longer applied to it."
            )
            % {"name": product.name},
        )
    return redirect("wagtailsnippets_products_product:edit", pk=quote(product.pk))


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
    edit_view_class = ProductEditView
    copy_view_class = ProductCopyView
    edit_handler = product_edit_handler

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("detach/<str:pk>/", detach_view, name="detach")]


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
