import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .models import MerchantPage, Neighbourhood, ShopCategory


class RowsReadOnce(forms.ModelChoiceField):
    """A ModelChoiceField that reads its rows once per form: the choices it lists and the
    value it checks come from the same query (Django's runs one for each)."""

    class iterator(ModelChoiceIterator):
        def __iter__(self):
            if self.field.empty_label is not None:
                yield ("", self.field.empty_label)
            for row in self.field.rows:
                yield self.choice(row)

        def __len__(self):
            return len(self.field.rows) + (self.field.empty_label is not None)

    @cached_property
    def rows(self):
        return list(self.queryset)

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.__dict__.pop("rows", None)  # each form reads the rows anew
        return copy

    def to_python(self, value):
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        for row in self.rows:
            if str(getattr(row, key)) == str(value):
                return row
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class ModelChoiceBySlug(django_filters.ModelChoiceFilter):
    field_class = RowsReadOnce


def by_slug(model, field_name, label, empty_label):
    """A choice among `model`'s rows, named by slug in the address (?category=fleuriste)."""
    return ModelChoiceBySlug(
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
