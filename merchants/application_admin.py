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
from .ownership import is_city_editor, shops_for_user

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


class ApproveForm(forms.Form):
    """Nothing to fill in, unless the application's address is an existing account's: then
    the city editor confirms that this very account gets the new shop."""

    def __init__(self, *args, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account
        if account is not None:
            # The box carries the account's id: a page shown for another account (changed
            # meanwhile) confirms nothing.
            self.fields["account"] = forms.MultipleChoiceField(
                label=_("Existing account"),
                choices=[(str(account.pk), _("Yes, give this account access to the new shop"))],
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "required": _(
                        "Tick the box to give this account the new shop, or decline the "
                        "application."
                    ),
                    "invalid_choice": _("The account of this address changed: check it again."),
                },
            )


def account_role(account):
    """What an existing account already is, in one sentence, for the city editor."""
    if account.is_superuser:
        role = gettext("This account is an administrator of the portal.")
    elif is_city_editor(account):
        role = gettext("This account is a city editor.")
    else:
        shops = list(shops_for_user(account).order_by("title").values_list("title", flat=True))
        role = (
            gettext("This account manages %(shops)s.") % {"shops": ", ".join(shops)}
            if shops
            else gettext("This account manages no shop yet.")
        )
    if not account.is_active:
        role += " " + gettext("It is deactivated.")
    return role


def _pending(request, pk):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    return get_object_or_404(MerchantApplication, pk=pk)


def _inspect(application):
    return redirect("wagtailsnippets_merchants_merchantapplication:inspect", application.pk)


def approve_view(request, pk):
    application = _pending(request, pk)
    account = applications.existing_account(application)
    form = ApproveForm(request.POST if request.method == "POST" else None, account=account)
    if form.is_valid():
        try:
            shop = applications.approve(application, request.user, account=account)
        except applications.AlreadyDecided:
            messages.error(request, gettext("This application was already decided."))
            return _inspect(application)
        except applications.AccountToConfirm as changed:  # between the check and the lock
            account = changed.account
            form = ApproveForm(account=account)
        else:
            messages.success(
                request,
                gettext("%(shop)s is created as a draft; its merchant has been invited by e-mail.")
                % {"shop": shop.title},
            )
            return redirect("wagtailadmin_pages:edit", shop.pk)
    return TemplateResponse(
        request,
        "merchants/admin/application_decision.html",
        {
            "application": application,
            "approving": True,
            "form": form,
            "account": account,
            "account_role": account_role(account) if account else "",
        },
        status=400 if request.method == "POST" else 200,
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
