import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from merchants.filters import by_slug
from merchants.models import MerchantPage, Neighbourhood, ShopCategory
from products.models import Availability, Product, ProductCategory


class OnlyWhenTicked(django_filters.BooleanFilter):
    """A checkbox: ticked narrows the results, unticked leaves them alone."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxInput)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return super().filter(qs, True) if value else qs


class SearchFilter(django_filters.FilterSet):
    """The search page's filters. They filter products; `shops()` applies the ones that
    make sense for shops to the shop results, so that one form drives both groups."""

    KIND_CHOICES = [("shops", _("Shops")), ("products", _("Products"))]
    SORT_CHOICES = [
        ("price", _("Price, lowest first")),
        ("-price", _("Price, highest first")),
        ("newest", _("Newest first")),
    ]
    SORT_ORDER = {
        "price": ["price", "pk"],
        "-price": ["-price", "pk"],
        "newest": ["-created_at", "-pk"],
    }
    # Filter name -> lookup on MerchantPage, for the shop group.
    SHOP_LOOKUPS = {
        "category": "categories",
        "neighbourhood": "neighbourhood",
        "pickup": "offers_pickup",
        "delivery": "offers_delivery",
    }
    PRODUCT_ONLY = ("product_category", "available")
    FACETS = ("category", "neighbourhood", "product_category")

    kind = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=KIND_CHOICES,
        empty_label=_("Shops and products"),
        method="keep_all",
    )
    category = by_slug(ShopCategory, "shop__categories", _("Shop category"), _("All categories"))
    neighbourhood = by_slug(
        Neighbourhood, "shop__neighbourhood", _("Neighbourhood"), _("All neighbourhoods")
    )
    product_category = by_slug(
        ProductCategory, "category", _("Product category"), _("All product categories")
    )
    available = OnlyWhenTicked(label=_("Available products only"), method="filter_available")
    pickup = OnlyWhenTicked(label=_("Pick-up in the shop"), field_name="shop__offers_pickup")
    delivery = OnlyWhenTicked(label=_("Home delivery"), field_name="shop__offers_delivery")
    open_now = OnlyWhenTicked(label=_("Open now"), method="filter_open_now")
    sort = django_filters.ChoiceFilter(
        label=_("Sort products by"),
        choices=SORT_CHOICES,
        empty_label=_("Relevance"),
        method="keep_all",
    )

    class Meta:
        model = Product
        fields = []

    def keep_all(self, queryset, name, value):
        return queryset  # read by the view, not a filter

    def filter_available(self, queryset, name, value):
        return queryset.exclude(availability=Availability.OUT_OF_STOCK)

    def filter_open_now(self, queryset, name, value):
        return queryset.filter(shop__in=MerchantPage.objects.open_at())

    @property
    def values(self):
        """The valid values in use; an invalid one (an old link to a renamed category) is
        reported next to its field and the others still apply."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return {
            name: value
            for name, value in getattr(self.form, "cleaned_data", {}).items()
            if value not in (None, "", False)
        }

    def products(self, queryset, skip=()):
        for name, value in self.values.items():
            if name not in skip:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def shops(self, queryset, skip=()):
        values = self.values
        for name, lookup in self.SHOP_LOOKUPS.items():
            if name in values and name not in skip:
                queryset = queryset.filter(**{lookup: values[name]})
        if values.get("open_now"):
            queryset = queryset.open_at()
        return queryset

    @property
    def shows_shops(self):
        values = self.values
        if values.get("kind") == "shops":  # asked for: the product filters do not apply
            return True
        return values.get("kind") != "products" and not any(f in values for f in self.PRODUCT_ONLY)

    @property
    def shows_products(self):
        return self.values.get("kind") != "shops"

    @property
    def product_order(self):
        return self.SORT_ORDER.get(self.values.get("sort"))

    def active_filters(self):
        """(label, value label, parameter) for each filter in use, to show removable chips."""
        active = []
        for name, value in self.values.items():
            if name == "sort":
                continue
            field = self.form.fields[name]
            if isinstance(value, bool):
                value = _("yes")
            elif name == "kind":
                value = dict(self.KIND_CHOICES)[value]
            active.append((field.label, value, name))
        return active

    def show_counts(self, counts):
        """Put the number of results next to each category and neighbourhood: `counts`
        ({facet: {id: number}}) is read only when the form is rendered."""
        for name in self.FACETS:
            field = self.form.fields[name]
            field.label_from_instance = lambda obj, name=name: (
                f"{obj.name} ({counts.get(name, {}).get(obj.pk, 0)})"
            )
