import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MerchantPage, Neighbourhood, ShopCategory


def by_slug(model, field_name, label, empty_label):
    """A choice among `model`'s rows, named by slug in the address (?category=fleuriste)."""
    return django_filters.ModelChoiceFilter(
        label=label,
        field_name=field_name,
        to_field_name="slug",
        queryset=model.objects.all(),
        empty_label=empty_label,
    )


class ShopFilter(django_filters.FilterSet):
    SERVICE_CHOICES = [("pickup", _("Pick-up in the shop")), ("delivery", _("Home delivery"))]

    category = by_slug(ShopCategory, "categories", _("Category"), _("All categories"))
    neighbourhood = by_slug(
        Neighbourhood, "neighbourhood", _("Neighbourhood"), _("All neighbourhoods")
    )
    service = django_filters.ChoiceFilter(
        label=_("Service"),
        choices=SERVICE_CHOICES,
        empty_label=_("All services"),
        method="filter_service",
    )
    open_now = django_filters.BooleanFilter(
        label=_("Open now"),
        method="filter_open_now",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = MerchantPage
        fields = ["category", "neighbourhood", "service", "open_now"]

    def filter_service(self, queryset, name, value):
        if value == "pickup":
            return queryset.filter(offers_pickup=True)
        if value == "delivery":
            return queryset.filter(offers_delivery=True)
        return queryset

    def filter_open_now(self, queryset, name, value):
        return queryset.open_at() if value else queryset

    def active_filters(self):
        """(label, value label, parameter) for each filter in use, to show removable chips."""
        if not self.is_bound or not self.is_valid():
            return []
        active = []
        for name, field in self.form.fields.items():
            value = self.form.cleaned_data.get(name)
            if value in (None, "", False):
                continue
            if name == "service":
                value = dict(self.SERVICE_CHOICES)[value]
            elif name == "open_now":
                value = _("yes")
            active.append((field.label, value, name))
        return active
