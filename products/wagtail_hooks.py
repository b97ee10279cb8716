"""The catalogue in the admin: each merchant sees and changes its own shops' products only.

Wagtail checks model permissions on snippet views and lists every object in choosers and
bulk actions; here every view that takes a product, the listing, the chooser and the bulk
actions go through the product permission policy, itself the foundation's ownership rule.
"""

import django_filters
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import chooser, snippets
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from home.spreadsheets import SpreadsheetSafeExportMixin
from merchants.admin_guards import HeldSnippetChooserViewSet, PortalSnippetViewSet
from merchants.models import MerchantPage
from merchants.ownership import get_object_for_user, scope_to_user, shops_for_user

from . import quick_actions
from .forms import ProductForm
from .import_views import import_view
from .indexing import reindex
from .models import Availability, Product, ProductCategory, ProductImage
from .permissions import ProductPermissionPolicy

# Before the viewset is registered, so that every view, bulk action and chooser uses it.
register_permission_policy(Product, ProductPermissionPolicy(Product))


def own_products(user):
    return scope_to_user(Product.objects.all(), user)


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


def own_shops(request):
    if request is None:
        return MerchantPage.objects.none()
    return shops_for_user(request.user).order_by("title")


class ProductFilterSet(WagtailFilterSet):
    # Only the user's own shops: a merchant does not read the names of the others here.
    shop = django_filters.ModelChoiceFilter(label=_("shop"), queryset=own_shops)

    class Meta:
        model = Product
        fields = ["shop", "availability", "is_active", "category"]


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

    # What matters first on a phone, the rest on a second tab.
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("shop"),
                    FieldPanel("name"),
                    FieldRowPanel([FieldPanel("price"), FieldPanel("unit_label")]),
                    FieldPanel("availability"),
                    InlinePanel("images", heading=_("Photos"), label=_("photo"), max_num=8),
                ],
                heading=_("Essentials"),
            ),
            ObjectList(
                [
                    FieldPanel("short_description"),
                    FieldPanel("description"),
                    FieldPanel("category"),
                    FieldPanel("former_price"),
                    FieldPanel("sku"),
                    FieldPanel("slug"),
                    FieldPanel("is_active"),
                    FieldPanel("is_featured"),
                ],
                heading=_("More details"),
            ),
        ],
        base_form_class=ProductForm,
    )

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


register_snippet(CatalogueGroup)


# Import


@hooks.register("register_admin_urls")
def register_import_url():
    return [path("products/import/", import_view, name="products_import")]


# Bulk actions


def actionable_products(action):
    """The selected products the user may act on; another shop's are left out unnamed."""
    user = action.request.user
    ids = action.request.GET.getlist("id")
    products = own_products(user).select_related("shop")
    if "all" not in ids:
        products = products.filter(pk__in=[pk for pk in ids if pk.isdigit()])
    objects = list(products)
    if not objects:
        raise Http404
    return (
        [product for product in objects if action.check_perm(product)],
        {
            "items_with_no_access": [
                product for product in objects if not action.check_perm(product)
            ]
        },
    )


class ProductDeleteBulkAction(DeleteBulkAction):
    models = [Product]

    @cached_property
    def _actionable_objects(self):
        return actionable_products(self)


class ProductChangeBulkAction(SnippetBulkAction):
    """Set one field on the selected products in one UPDATE, then refresh their search entry."""

    models = [Product]
    template_name = "products/admin/confirm_bulk_change.html"
    changes = {}

    def check_perm(self, product):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", product
        )

    def get_actionable_objects(self):
        return actionable_products(self)

    @classmethod
    def execute_action(cls, objects, **kwargs):
        ids = [product.pk for product in objects]
        # updated_at moves too: a shop whose merchant just did this is not "stale".
        changes = {**cls.changes, "updated_at": timezone.now()}
        count = Product.objects.filter(pk__in=ids).update(**changes)
        reindex(Product.objects.select_related("shop", "category"), ids)
        return count, 0

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action": self}

    def get_success_message(self, num_parent_objects, num_child_objects):
        return self.success_message(num_parent_objects) % {"count": num_parent_objects}


class OutOfStockBulkAction(ProductChangeBulkAction):
    display_name = _("Out of stock")
    action_type = "out_of_stock"
    aria_label = _("Mark the selected products out of stock")
    action_priority = 10
    changes = {"availability": Availability.OUT_OF_STOCK}

    def success_message(self, count):
        return ngettext(
            "%(count)d product marked out of stock.",
            "%(count)d products marked out of stock.",
            count,
        )


class InStockBulkAction(ProductChangeBulkAction):
    display_name = _("In stock")
    action_type = "in_stock"
    aria_label = _("Mark the selected products in stock")
    action_priority = 11
    changes = {"availability": Availability.IN_STOCK}

    def success_message(self, count):
        return ngettext(
            "%(count)d product marked in stock.", "%(count)d products marked in stock.", count
        )


class HideBulkAction(ProductChangeBulkAction):
    display_name = _("Hide")
    action_type = "hide"
    aria_label = _("Hide the selected products from the site")
    action_priority = 12
    changes = {"is_active": False}

    def success_message(self, count):
        return ngettext("%(count)d product hidden.", "%(count)d products hidden.", count)


class ShowBulkAction(ProductChangeBulkAction):
    display_name = _("Show")
    action_type = "show"
    aria_label = _("Show the selected products on the site")
    action_priority = 13
    changes = {"is_active": True}

    def success_message(self, count):
        return ngettext("%(count)d product shown.", "%(count)d products shown.", count)


# After Wagtail's own snippet actions (order 0), so that these replace its delete for products.
for bulk_action in (
    ProductDeleteBulkAction,
    OutOfStockBulkAction,
    InStockBulkAction,
    HideBulkAction,
    ShowBulkAction,
):
    hooks.register("register_bulk_action", bulk_action, order=100)


# The merchant's shop panel and its product quick actions (quick_actions.py)

hooks.register("register_admin_urls", quick_actions.admin_urls)
hooks.register("construct_homepage_panels", quick_actions.add_shop_panels)
