"""Shop applications in the admin, for the city: review, approve or decline with a reason."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views import snippets

from . import applications
from .admin_guards import PortalSnippetViewSet
from .forms import ApplicationForm
from .models import MerchantApplication

PERMISSION = "merchants.change_merchantapplication"


class ApplicationInspectView(snippets.InspectView):
    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.object.status == MerchantApplication.Status.PENDING and self.request.user.has_perm(
            PERMISSION
        ):
            buttons += [
                HeaderButton(
                    _("Approve"),
                    url=reverse("merchants_application_approve", args=[self.object.pk]),
                    icon_name="check",
                ),
                HeaderButton(
                    _("Decline"),
                    url=reverse("merchants_application_decline", args=[self.object.pk]),
                    icon_name="cross",
                ),
            ]
        return buttons


class ApplicationViewSet(PortalSnippetViewSet):
    model = MerchantApplication
    icon = "mail"
    menu_label = _("Shop applications")
    list_display = ["shop_name", "town", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["shop_name"]
    inspect_view_enabled = True
    inspect_view_class = ApplicationInspectView
    inspect_view_fields = [
        *ApplicationForm.Meta.fields,
        "status",
        "decline_reason",
        "shop",
        "decided_by",
        "decided_at",
    ]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, sent to the applicant"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": _("Say why: the applicant reads it.")},
    )


def _pending(request, pk):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    return get_object_or_404(MerchantApplication, pk=pk)


def _inspect(application):
    return redirect("wagtailsnippets_merchants_merchantapplication:inspect", application.pk)


def approve_view(request, pk):
    application = _pending(request, pk)
    if request.method == "POST":
        try:
            shop = applications.approve(application, request.user)
        except applications.AlreadyDecided:
            messages.error(request, gettext("This application was already decided."))
            return _inspect(application)
        messages.success(
            request,
            gettext("%(shop)s is created as a draft; its merchant has been invited by e-mail.")
            % {"shop": shop.title},
        )
        return redirect("wagtailadmin_pages:edit", shop.pk)
    return TemplateResponse(
        request,
        "merchants/admin/application_decision.html",
        {"application": application, "approving": True},
    )


def decline_view(request, pk):
    application = _pending(request, pk)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            applications.decline(application, request.user, form.cleaned_data["reason"])
        except applications.AlreadyDecided:
            messages.error(request, gettext("This application was already decided."))
        else:
            messages.success(request, gettext("The applicant has been told, with your reason."))
        return _inspect(application)
    return TemplateResponse(
        request,
        "merchants/admin/application_decision.html",
        {"application": application, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def admin_urls():
    return [
        path(
            "merchants/application/<int:pk>/approve/",
            approve_view,
            name="merchants_application_approve",
        ),
        path(
            "merchants/application/<int:pk>/decline/",
            decline_view,
            name="merchants_application_decline",
        ),
    ]
