"""The product listing's filters in the admin."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from merchants.models import MerchantPage
from merchants.ownership import shops_for_user

from .models import Product


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
