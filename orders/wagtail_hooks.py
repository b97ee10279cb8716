"""The shops' order requests in the Wagtail admin: a list, an export, one page per request.

Requests come from residents, so the admin never edits them: a shop answers them with the
actions of `orders.transitions`, each a POST to its own URL from the request's page. Every
list, search, export, page and action goes through the ownership rule of
`merchants.ownership`.
"""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.admin import SimpleListFilter, display
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.utils import label_for_field, lookup_field
from django.contrib.auth.models import Permission
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import re_path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.admin_url_finder import register_admin_url_finder
from wagtail.admin.ui.components import Component
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register
from wagtail_modeladmin.views import IndexView, InspectView

from home.forms import EuroField
from home.money import format_money
from home.spreadsheets import SpreadsheetSafeExportMixin
from merchants.ownership import (
    can_manage,
    get_object_for_user,
    manages_any_shop,
    scope_to_user,
    shops_for_user,
)
from notifications.models import Notification

from . import (
    privacy_hooks,  # noqa: F401 (registers the residents-data admin pages)
    transitions,
)
from .admin_urls import order_admin_url_name
from .models import Fulfilment, OrderRequest, Status

INDEX_URL = order_admin_url_name("index")
INSPECT_URL = order_admin_url_name("inspect")
# One URL per action, named like modeladmin's own: orders_orderrequest_modeladmin_accept…
ACTION_URLS = {action: order_admin_url_name(action) for action in transitions.ACTIONS}
NOTE_MAX_LENGTH = 2000
NEW_REQUESTS_SHOWN = 10


class OrderRequestPermissionHelper(PermissionHelper):
    """Ownership instead of Django model permissions, which merchants do not hold."""

    def user_can_list(self, user):
        return manages_any_shop(user)

    def user_can_inspect_obj(self, user, obj):
        return can_manage(user, obj)

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class ShopFilter(SimpleListFilter):
    """Only the shops the user manages, so that a merchant never reads another shop's name."""

    title = _("shop")
    parameter_name = "shop"

    def lookups(self, request, model_admin):
        return [
            (str(shop.pk), shop.title) for shop in shops_for_user(request.user).order_by("title")
        ]

    def has_output(self):
        # One shop needs no filter; but a filter in use must apply (modeladmin only applies
        # the filters it shows).
        return len(self.lookup_choices) > 1 or self.value() is not None

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        # The queryset is already scoped: another shop's id simply finds nothing.
        return queryset.filter(shop_id=int(value)) if value.isdigit() else queryset.none()


def csv_datetime(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def xlsx_datetime(value):
    return timezone.make_naive(value) if timezone.is_aware(value) else value


class OrderRequestIndexView(SpreadsheetSafeExportMixin, IndexView):
    export_headings = {
        "get_status_display": _("status"),
        "get_fulfilment_display": _("fulfilment"),
        "total": _("total (EUR)"),
        "commission": _("commission (EUR)"),
    }
    # Local time, as the merchant reads it in the admin (the default writes UTC).
    custom_value_preprocess = {
        **IndexView.custom_value_preprocess,
        datetime.datetime: {
            IndexView.FORMAT_CSV: csv_datetime,
            IndexView.FORMAT_XLSX: xlsx_datetime,
        },
    }

    def get_filters(self, request):
        filter_specs, has_filters, remaining, use_distinct = super().get_filters(request)
        if remaining:
            # modeladmin would apply any other query-string parameter as an ORM lookup, and
            # one such as checkout__requests__name__startswith reaches the other shops'
            # requests of the same checkout. Only the declared filters and the search apply.
            raise DisallowedModelAdminLookup(f"Filtering by {', '.join(remaining)} not allowed")
        return filter_specs, has_filters, remaining, use_distinct

    def get_heading(self, queryset, field):
        heading = self.export_headings.get(field) or label_for_field(field, self.model)
        return capfirst(str(heading))

    def to_row_dict(self, item):
        # modeladmin writes "-" for every falsy value, a zero delivery fee included.
        return {field: lookup_field(field, item, self.model_admin)[2] for field in self.list_export}


class OrderRequestInspectView(InspectView):
    page_title = _("Order request")

    def dispatch(self, request, *args, **kwargs):
        if not manages_any_shop(request.user):
            # No shop, no order requests: a true 403 (Wagtail turns PermissionDenied into a
            # redirect to the dashboard).
            return TemplateResponse(request, "orders/admin/request_forbidden.html", status=403)
        # modeladmin has already answered 404 for a missing request; another shop's is as
        # missing.
        self.instance = get_object_for_user(
            OrderRequest.objects.select_related("shop"), request.user, pk=self.instance.pk
        )
        return super().dispatch(request, *args, **kwargs)

    def get_fields_dict(self):
        # The template lays the request out itself.
        return []

    def get_context_data(self, bound_form=None, **kwargs):
        order = self.instance
        history = list(order.history.select_related("by"))
        ready_since = max(
            (change.at for change in history if change.status == Status.READY), default=None
        )
        days = transitions.days_waiting(order, ready_since)
        return super().get_context_data(
            order=order,
            lines=order.lines.all(),
            history=history,
            notifications=Notification.objects.about(order.reference).order_by("created_at", "pk"),
            waiting=waiting_note(days) if days is not None else "",
            actions=self.get_actions(bound_form),
            bound_form=bound_form,
            **kwargs,
        )

    def get_actions(self, bound_form=None):
        actions = []
        for action in transitions.allowed_actions(self.instance):
            form = action_form(self.instance, action)
            if bound_form is not None and bound_form.prefix == action:
                form = bound_form
            actions.append(
                {
                    "name": action,
                    "label": transitions.LABELS[action],
                    "url": reverse(ACTION_URLS[action], args=[self.instance.pk]),
                    "form": form,
                }
            )
        return actions


def waiting_note(days):
    return ngettext(
        "Ready for pick-up {days} day ago and still not collected",
        "Ready for pick-up {days} days ago and still not collected",
        days,
    ).format(days=days)


def waiting_flag(days):
    """The list's short version of `waiting_note`."""
    return ngettext("Not collected: {days} day", "Not collected: {days} days", days).format(
        days=days
    )


# The shop's answers: one small form per action, each posted to its own URL.


def note_field(label=None, required=False, **kwargs):
    return forms.CharField(
        label=label or _("Note to the resident"),
        required=required,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        **kwargs,
    )


class NoteForm(forms.Form):
    """Ready, out for delivery, not collected: a confirmation, with an optional word."""

    note = note_field(help_text=_("Optional. The resident reads it in the e-mail."))

    def __init__(self, order, *args, **kwargs):
        self.order = order
        super().__init__(*args, **kwargs)

    def answers(self):
        return {"note": self.cleaned_data["note"]}


class AcceptForm(NoteForm):
    ready_at = forms.DateTimeField(
        label=_("Ready on"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": _("Say when the request will be ready."),
            "invalid": _("Enter a date and a time."),
        },
    )
    note = note_field(
        help_text=_("Optional: why a product is missing, what to bring… The resident reads it.")
    )

    def __init__(self, order, *args, **kwargs):
        super().__init__(order, *args, **kwargs)
        if order.fulfilment == Fulfilment.DELIVERY:
            self.fields["ready_at"].label = _("Delivered on")
        self.lines = list(order.lines.all())
        for line in self.lines:
            limit = _("Enter a whole number from 0 (not available) to %(quantity)s.") % {
                "quantity": line.quantity
            }
            self.fields[self.line_field(line)] = forms.IntegerField(
                label=line.product_name,
                min_value=0,
                max_value=line.quantity,
                initial=line.quantity,
                error_messages={
                    "required": limit,
                    "invalid": limit,
                    "min_value": limit,
                    "max_value": _(
                        "A quantity can go down, not up: enter a whole number from 0 to "
                        "%(quantity)s."
                    )
                    % {"quantity": line.quantity},
                },
            )
        # The lines first, as the page reads.
        self.order_fields([self.line_field(line) for line in self.lines])

    @staticmethod
    def line_field(line):
        return f"line_{line.pk}"

    def line_rows(self):
        return [(line, self[self.line_field(line)]) for line in self.lines]

    def clean_ready_at(self):
        ready_at = self.cleaned_data["ready_at"]
        if timezone.localdate(ready_at) < timezone.localdate():
            raise forms.ValidationError(_("Choose a day from today on."))
        return ready_at

    def clean(self):
        cleaned = super().clean()
        quantities = [cleaned.get(self.line_field(line)) for line in self.lines]
        if quantities and all(quantity == 0 for quantity in quantities):
            raise forms.ValidationError(
                _("Every product would be removed: decline the request instead, with a reason.")
            )
        return cleaned

    def answers(self):
        return {
            "quantities": {
                line.pk: self.cleaned_data[self.line_field(line)] for line in self.lines
            },
            "ready_at": self.cleaned_data["ready_at"],
            "note": self.cleaned_data["note"],
        }


class CompleteForm(NoteForm):
    final_amount = EuroField(
        label=_("Final amount of the goods (EUR)"),
        help_text=_(
            "What the goods came to, without the delivery fee. The commission is calculated on it."
        ),
        max_digits=10,
        required_message=_("Enter the final amount of the goods."),
        negative_message=_("The amount cannot be negative."),
    )

    def __init__(self, order, *args, **kwargs):
        super().__init__(order, *args, **kwargs)
        self.fields["final_amount"].initial = order.items_total
        self.order_fields(["final_amount"])

    def answers(self):
        return {
            "final_amount": self.cleaned_data["final_amount"],
            "note": self.cleaned_data["note"],
        }


class DeclineForm(NoteForm):
    note = None
    reason = note_field(
        label=_("Reason"),
        required=True,
        help_text=_("The resident reads it in the e-mail."),
        error_messages={"required": _("Say why you decline the request: the resident reads it.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(
                _("Say why you decline the request: the resident reads it.")
            )
        return reason

    def answers(self):
        return {"reason": self.cleaned_data["reason"]}


ACTION_FORMS = {
    transitions.ACCEPT: AcceptForm,
    transitions.READY: NoteForm,
    transitions.OUT_FOR_DELIVERY: NoteForm,
    transitions.COMPLETE: CompleteForm,
    transitions.DECLINE: DeclineForm,
    transitions.NOT_COLLECTED: NoteForm,
}

DONE_MESSAGES = {
    transitions.ACCEPT: _("Request %(reference)s is accepted."),
    transitions.READY: _("Request %(reference)s is ready for pick-up."),
    transitions.OUT_FOR_DELIVERY: _("Request %(reference)s is out for delivery."),
    transitions.COMPLETE: _("Request %(reference)s is completed."),
    transitions.DECLINE: _("Request %(reference)s is declined."),
    transitions.NOT_COLLECTED: _("Request %(reference)s is marked not collected."),
}


def action_form(order, action, data=None):
    return ACTION_FORMS[action](order, data, prefix=action)


class OrderRequestActionView(OrderRequestInspectView):
    """One answer to a request. A POST only, after the ownership check of the page itself:
    another shop's request is a 404 whatever the method, one's own answers 405 to a GET."""

    action = None
    http_method_names = ["post"]

    def __init__(self, model_admin, instance_pk, action):
        super().__init__(model_admin, instance_pk)
        self.action = action

    def post(self, request, *args, **kwargs):
        order = self.instance
        if self.action not in transitions.allowed_actions(order):
            messages.error(request, transitions.TransitionNotAllowed(order, self.action).message)
            return redirect(INSPECT_URL, order.pk)
        form = action_form(order, self.action, request.POST)
        if not form.is_valid():
            # The request's page again, this form open with its errors and what was typed.
            return self.render_to_response(self.get_context_data(bound_form=form))
        try:
            transitions.perform(order, self.action, request.user, **form.answers())
        except transitions.TransitionNotAllowed as refused:
            # Someone answered the request in the meantime.
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                DONE_MESSAGES[self.action] % {"reference": order.reference}
                + " "
                + gettext("The resident is told by e-mail."),
            )
        return redirect(INSPECT_URL, order.pk)


class OrderRequestURLFinder:
    """Where the admin links a request to: its page, since there is no edit view."""

    permission_helper = OrderRequestPermissionHelper(OrderRequest)

    def __init__(self, user):
        self.user = user

    def get_edit_url(self, instance):
        if self.user is None or self.permission_helper.user_can_inspect_obj(self.user, instance):
            return reverse(INSPECT_URL, args=[instance.pk])
        return None


class OrderRequestAdmin(ModelAdmin):
    model = OrderRequest
    menu_label = _("Order requests")
    menu_icon = "list-ul"
    menu_order = 150
    add_to_admin_menu = True
    permission_helper_class = OrderRequestPermissionHelper
    index_view_class = OrderRequestIndexView
    inspect_view_class = OrderRequestInspectView
    inspect_view_enabled = True
    history_view_enabled = False
    inspect_template_name = "orders/admin/order_request_inspect.html"

    list_display = (
        "reference",
        "shop",
        "created_at",
        "status_and_flag",
        "fulfilment",
        "formatted_total",
        "name",
    )
    list_filter = ("status", "fulfilment", "created_at", ShopFilter)
    search_fields = ("reference", "name", "email")
    list_per_page = 50
    list_export = (
        "reference",
        "shop",
        "created_at",
        "get_status_display",
        "get_fulfilment_display",
        "preferred_date",
        "name",
        "email",
        "phone",
        "items_total",
        "delivery_fee",
        "total",
        "final_amount",
        "commission_rate",
        "commission",
    )
    export_filename = "order-requests"

    def get_queryset(self, request):
        requests = scope_to_user(OrderRequest.objects.select_related("shop"), request.user)
        return transitions.with_ready_since(requests)

    @display(description=_("status"), ordering="status")
    def status_and_flag(self, obj):
        days = transitions.days_waiting(obj, getattr(obj, "ready_since", None))
        if days is None:
            return obj.get_status_display()
        return format_html(
            '{} <span class="w-status w-status--label">{}</span>',
            obj.get_status_display(),
            waiting_flag(days),
        )

    @display(description=_("total"))
    def formatted_total(self, obj):
        return format_money(obj.total)

    def get_admin_urls_for_registration(self):
        # The list, each request's page and the shop's answers to it; no create, edit,
        # delete or history view exists.
        helper = self.url_helper
        return (
            re_path(helper.get_action_url_pattern("index"), self.index_view, name=INDEX_URL),
            re_path(
                rf"^{helper.base_url_path}/inspect/(?P<instance_pk>\d+)/$",
                self.inspect_view,
                name=INSPECT_URL,
            ),
            *(
                re_path(
                    rf"^{helper.base_url_path}/(?P<instance_pk>\d+)/act/{action}/$",
                    self.action_view,
                    {"action": action},
                    name=name,
                )
                for action, name in ACTION_URLS.items()
            ),
        )

    def action_view(self, request, instance_pk, action):
        view = OrderRequestActionView.as_view(
            model_admin=self, instance_pk=instance_pk, action=action
        )
        return view(request)

    def get_permissions_for_registration(self):
        # Who sees a request is the ownership rule, not a permission granted to a group.
        return Permission.objects.none()

    def register_admin_url_finders(self):
        register_admin_url_finder(self.model, OrderRequestURLFinder)

    def register_indexing(self):
        # A request is not content that pages or snippets refer to; indexing it would add
        # writes to every checkout for nothing.
        pass


modeladmin_register(OrderRequestAdmin)


class NewRequestsPanel(Component):
    """What waits for an answer, oldest first: the merchant's first stop in the admin."""

    name = "orders_new_requests"
    template_name = "orders/admin/new_requests_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        new = scope_to_user(OrderRequest.objects.filter(status=Status.NEW), user)
        now = timezone.now()
        overdue = transitions.overdue_pickups(
            now, scope_to_user(OrderRequest.objects.all(), user)
        ).select_related("shop")
        overdue = list(overdue.order_by("ready_since", "pk")[:NEW_REQUESTS_SHOWN])
        for order in overdue:
            order.days_waiting = transitions.days_waiting(order, order.ready_since, now)
        return {
            "new_count": new.count(),
            "new_requests": new.select_related("shop").order_by("created_at", "pk")[
                :NEW_REQUESTS_SHOWN
            ],
            "overdue": overdue,
            "index_url": reverse(INDEX_URL),
        }


@hooks.register("construct_homepage_panels")
def add_new_requests_panel(request, panels):
    if manages_any_shop(request.user):
        panels.append(NewRequestsPanel())
