"""The catalogue's bulk actions: delete, in or out of stock, show or hide, on the user's own
products only."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from merchants.admin_guards import OwnDeleteBulkAction, owned_selection

from .indexing import reindex
from .models import SOURCE_MANAGED_FIELDS, Availability, Product
from .permissions import own_products


def actionable_products(action):
    """The selected products the user may act on; another shop's are left out unnamed."""
    return owned_selection(action, own_products(action.request.user).select_related("shop"))


class ProductDeleteBulkAction(OwnDeleteBulkAction):
    models = [Product]


class ProductChangeBulkAction(SnippetBulkAction):
    """Set one field on the selected products in one UPDATE, then refresh their search entry."""

    models = [Product]
    template_name = "products/admin/confirm_bulk_change.html"
    changes = {}

    def check_perm(self, product):
        # What a catalogue source manages is changed there, not here (Product.is_synced).
        if product.is_synced and not self.changes.keys().isdisjoint(SOURCE_MANAGED_FIELDS):
            return False
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
        products = Product.objects.filter(pk__in=ids)
        if "availability" in changes:  # dates the return to stock of those that were out
            count = products.set_availability(**changes)
        else:
            count = products.update(**changes)
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
