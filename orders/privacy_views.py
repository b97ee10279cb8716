"""The city's answer to a resident who asks for their data, or for it to be erased.

Only city editors reach these pages. The address is always posted, never put in a URL,
so that it stays out of server logs and browser history.
"""

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.menu import MenuItem

from merchants.ownership import is_city_editor

from . import privacy

INDEX_URL = "orders_residents_data"
EXPORT_URL = "orders_residents_data_export"
ERASE_URL = "orders_residents_data_erase"


class ResidentEmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Resident's e-mail address"),
        help_text=_("The address the resident gave in their requests; capitals do not matter."),
    )


def check_city_editor(user):
    # Wagtail's admin turns this into a redirect to the dashboard with a message.
    if not is_city_editor(user):
        raise PermissionDenied


def residents_data(request):
    """Find a resident's requests across all shops, then export or erase them."""
    check_city_editor(request.user)
    form = ResidentEmailForm(request.POST if request.method == "POST" else None)
    return _search_page(request, form)


def _search_page(request, form):
    found = None
    if form.is_bound and form.is_valid():
        found = (
            privacy.orders_for_email(form.cleaned_data["email"])
            .select_related("shop")
            .order_by("-created_at", "-pk")
        )
    context = {
        "form": form,
        "found": found,
        "anonymise_after_months": settings.PORTAL_ANONYMISE_AFTER_MONTHS,
    }
    return TemplateResponse(request, "orders/privacy/residents_data.html", context)


def export(request):
    """A JSON file of every request of the address, with its lines and history."""
    check_city_editor(request.user)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ResidentEmailForm(request.POST)
    if not form.is_valid():
        return _search_page(request, form)
    data = privacy.export_resident(form.cleaned_data["email"])
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"resident-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def erase(request):
    """First a confirmation page, then, on a second post, the erasure."""
    check_city_editor(request.user)
    if request.method != "POST":
        # A followed link, a prefetch or a reload erases nothing.
        return redirect(INDEX_URL)
    form = ResidentEmailForm(request.POST)
    if not form.is_valid():
        return _search_page(request, form)
    email = form.cleaned_data["email"]
    if request.POST.get("confirm") != "yes":
        return TemplateResponse(
            request,
            "orders/privacy/confirm_erase.html",
            {"form": form, "email": email, "count": privacy.orders_for_email(email).count()},
        )
    outcome = privacy.erase_resident(email)
    messages.success(
        request,
        ngettext(
            "The personal data of %(count)d order request and its e-mails was erased.",
            "The personal data of %(count)d order requests and their e-mails was erased.",
            outcome.requests,
        )
        % {"count": outcome.requests},
    )
    return redirect(INDEX_URL)


def admin_urls():
    return [
        path("residents-data/", residents_data, name=INDEX_URL),
        path("residents-data/export/", export, name=EXPORT_URL),
        path("residents-data/erase/", erase, name=ERASE_URL),
    ]


class CityEditorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_city_editor(request.user)


def menu_item():
    """Under Settings, for city editors only."""
    return CityEditorMenuItem(
        _("Residents' data"),
        reverse(INDEX_URL),
        name="residents-data",
        icon_name="user",
        order=900,
    )
