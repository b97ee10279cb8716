"""The merchant's shop panel on the admin's home page, and its product quick actions.

The panel shows a shop and its products, so it is composed here, in the app that knows
both (merchants does not know products): the shop's own buttons post to merchants'
views (pause, resume), the product buttons to the small POST-only views below (mark a
product out of stock or back in stock, change a price). Each view takes its product
through the one ownership rule, so another shop's id answers 404 and changes nothing.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.ui.components import Component
from wagtail.log_actions import log

from home.forms import EuroField
from home.money import format_money
from merchants.dashboard import DASHBOARD, PauseForm, form_page
from merchants.ownership import get_object_for_user, merchant_shops

from .models import Availability, Product

LEAST_RECENTLY_UPDATED = 5


class ShopPanel(Component):
    """One per shop the user manages (a city editor has the whole admin and no such panel)."""

    template_name = "merchants/admin/shop_panel.html"
    order = 10

    def __init__(self, shop):
        self.shop = shop
        self.name = f"shop_{shop.pk}"

    def get_context_data(self, parent_context):
        shop = self.shop
        least_recent = list(shop.products.order_by("updated_at", "pk")[:LEAST_RECENTLY_UPDATED])
        return {
            "panel_id": f"shop-{shop.pk}",
            "shop": shop,
            "today": timezone.localdate(),
            "products": least_recent,
            "product_count": shop.products.count(),
            "pause_form": PauseForm(prefix=f"pause-{shop.pk}"),
            "OUT_OF_STOCK": Availability.OUT_OF_STOCK,
            "request": parent_context["request"],
            # The panel's forms post: a component's template has no CSRF token of its own.
            "csrf_token": parent_context.get("csrf_token"),
        }


def add_shop_panels(request, panels):
    panels.extend(ShopPanel(shop) for shop in merchant_shops(request.user))


class PriceForm(forms.Form):
    price = EuroField(
        label=_("New price (EUR)"),
        required_message=_("Enter a price."),
        negative_message=_("The price cannot be negative."),
    )


def quick_product(request, pk):
    product = get_object_for_user(
        Product.objects.select_related("shop", "source"), request.user, pk=pk
    )
    if not request.user.has_perm("products.change_product"):
        raise PermissionDenied
    return product


def refused_as_synced(request, product):
    """A product a catalogue source manages: its stock and price are changed there."""
    messages.error(
        request,
        gettext(
            "%(source)s manages the stock and price of %(name)s: change them there, or "
            "detach the product from its source in its form."
        )
        % {"source": product.source, "name": product.name},
    )
    return redirect(DASHBOARD)


@require_POST
def stock_view(request, pk):
    product = quick_product(request, pk)
    if product.is_synced:
        return refused_as_synced(request, product)
    availability = request.POST.get("availability")
    if availability not in (Availability.IN_STOCK, Availability.OUT_OF_STOCK):
        messages.error(request, gettext("Choose in stock or out of stock."))
        return redirect(DASHBOARD)
    product.availability = availability
    product.save()
    log(instance=product, action="wagtail.edit", user=request.user)
    text = (
        gettext("%(name)s is out of stock.")
        if availability == Availability.OUT_OF_STOCK
        else gettext("%(name)s is back in stock.")
    )
    messages.success(request, text % {"name": product.name})
    return redirect(DASHBOARD)


def price_view(request, pk):
    product = quick_product(request, pk)
    if product.is_synced:
        return refused_as_synced(request, product)
    form = PriceForm(request.POST or None, initial={"price": product.price})
    if request.method == "POST" and form.is_valid():
        product.price = form.cleaned_data["price"]
        if product.former_price is not None and product.former_price <= product.price:
            # A promotion cannot show a former price lower than the price: it ends here.
            product.former_price = None
        product.save()
        log(instance=product, action="wagtail.edit", user=request.user)
        messages.success(
            request,
            gettext("%(name)s now costs %(price)s.")
            % {"name": product.name, "price": format_money(product.price)},
        )
        return redirect(DASHBOARD)
    return form_page(request, form, _("Change the price"), product.name, "tag")


def admin_urls():
    # The names keep their "merchants_" prefix: they are the dashboard's, and links to
    # them (the panel's forms, bookmarks) stay as they were.
    return [
        path("product/<int:pk>/stock/", stock_view, name="merchants_product_stock"),
        path("product/<int:pk>/price/", price_view, name="merchants_product_price"),
    ]
