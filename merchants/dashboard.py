"""The merchant's first stop in the admin: its shop, and what it updates most, one click away.

A panel per shop on the admin's home page (the order requests' panel sits beside it), and
the small POST-only views behind its buttons: pause or resume requests, mark a product out
of stock or back in stock, change a price. Each view takes its object through the one
ownership rule, so another shop's id answers 404 and changes nothing.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.ui.components import Component
from wagtail.log_actions import log

from home.forms import EuroField
from home.money import format_money
from products.models import Availability, Product

from .models import MerchantPage
from .ownership import get_object_for_user, merchant_shops

LEAST_RECENTLY_UPDATED = 5
DASHBOARD = "wagtailadmin_home"


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


def shop_panels(user):
    return [ShopPanel(shop) for shop in merchant_shops(user)]


class PauseForm(forms.Form):
    until = forms.DateField(
        label=_("Pause requests until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Choose the last day without requests."),
            "invalid": _("Enter a date such as 24/12/2026."),
        },
    )
    reason = forms.CharField(
        label=_("Reason shown to residents"),
        max_length=120,
        required=False,
        help_text=_("Such as “Holidays” or “Closed for inventory”."),
    )

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day."))
        return until


class PriceForm(forms.Form):
    price = EuroField(
        label=_("New price (EUR)"),
        required_message=_("Enter a price."),
        negative_message=_("The price cannot be negative."),
    )


def _set_pause(shop, user, until, reason):
    """Pausing is operational, not editorial: it applies to the live page at once (and to a
    draft waiting for review, so that publishing it later keeps the pause)."""
    fields = {"requests_paused_until": until, "pause_reason": reason}
    MerchantPage.objects.filter(pk=shop.pk).update(**fields)
    if shop.has_unpublished_changes and shop.latest_revision_id:
        revision = shop.latest_revision
        revision.content.update(
            requests_paused_until=until.isoformat() if until else None, pause_reason=reason
        )
        revision.save(update_fields=["content"])
    log(instance=shop, action="wagtail.edit", user=user)


def form_page(request, form, title, subtitle, icon):
    """A GET, or a mistake: the quick form on a page of its own, with what was typed."""
    return TemplateResponse(
        request,
        "merchants/admin/quick_form.html",
        {"form": form, "title": title, "subtitle": subtitle, "icon": icon},
        status=400 if request.method == "POST" else 200,
    )


def pause_view(request, shop_id):
    shop = get_object_for_user(MerchantPage.objects.all(), request.user, pk=shop_id)
    if not shop.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    form = PauseForm(request.POST or None, prefix=f"pause-{shop.pk}")
    if request.method == "POST" and form.is_valid():
        _set_pause(shop, request.user, form.cleaned_data["until"], form.cleaned_data["reason"])
        messages.success(
            request,
            gettext("Requests to %(shop)s are paused until %(date)s included.")
            % {"shop": shop.title, "date": form.cleaned_data["until"].strftime("%d/%m/%Y")},
        )
        return redirect(DASHBOARD)
    return form_page(request, form, _("Pause requests"), shop.title, "pick")


@require_POST
def resume_view(request, shop_id):
    shop = get_object_for_user(MerchantPage.objects.all(), request.user, pk=shop_id)
    if not shop.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    _set_pause(shop, request.user, None, "")
    messages.success(request, gettext("%(shop)s takes requests again.") % {"shop": shop.title})
    return redirect(DASHBOARD)


@require_POST
def stock_view(request, pk):
    product = get_object_for_user(Product.objects.select_related("shop"), request.user, pk=pk)
    if not request.user.has_perm("products.change_product"):
        raise PermissionDenied
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
    product = get_object_for_user(Product.objects.select_related("shop"), request.user, pk=pk)
    if not request.user.has_perm("products.change_product"):
        raise PermissionDenied
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
    return [
        path("shop/<int:shop_id>/pause/", pause_view, name="merchants_pause_requests"),
        path("shop/<int:shop_id>/resume/", resume_view, name="merchants_resume_requests"),
        path("product/<int:pk>/stock/", stock_view, name="merchants_product_stock"),
        path("product/<int:pk>/price/", price_view, name="merchants_product_price"),
    ]
