"""The shop's quick actions on the admin's home page: pause or resume requests.

The panel that holds their buttons (products/quick_actions.py) shows the shop's products
too, so it is composed in products. These small views take the shop through the one
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
from wagtail.log_actions import log

from .models import MerchantPage
from .ownership import get_object_for_user

DASHBOARD = "wagtailadmin_home"


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


def admin_urls():
    return [
        path("shop/<int:shop_id>/pause/", pause_view, name="merchants_pause_requests"),
        path("shop/<int:shop_id>/resume/", resume_view, name="merchants_resume_requests"),
    ]
