"""The order admin's list filters."""

from django.contrib.admin import SimpleListFilter
from django.utils.translation import gettext_lazy as _

from merchants.ownership import shops_for_user


class ShopFilter(SimpleListFilter):
    """Only the shops the user manages, so that a merchant never reads another shop's name."""

    title = _("shop")
    parameter_name = "shop"

    def lookups(self, request, model_admin):
        return [
            (str(shop.pk), shop.title) for shop in shops_for_user(request.user).order_by("title")
        ]

    def has_output(self):
        # One shop needs no filter; but a filter in use must apply (modeladmin only applies
        # the filters it shows).
        return len(self.lookup_choices) > 1 or self.value() is not None

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        # The queryset is already scoped: another shop's id simply finds nothing.
        return queryset.filter(shop_id=int(value)) if value.isdigit() else queryset.none()
