"""The shops' order requests in the Wagtail admin: a list, an export, one page per request.

Requests come from residents, so the admin never edits them: a shop answers them with the
actions of `orders.transitions`, each a POST to its own URL from the request's page. Every
list, search, export, page and action goes through the ownership rule of
`merchants.ownership`.
"""

import datetime

from django.contrib import messages
from django.contrib.admin import display
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
from wagtail.admin.admin_url_finder import register_admin_url_finder
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import IndexView, InspectView

from home.money import format_money
from home.spreadsheets import SpreadsheetSafeExportMixin
from merchants.ownership import get_object_for_user, manages_any_shop, scope_to_user
from notifications.models import Notification

from . import expiry, transitions
from .admin_forms import action_form
from .admin_urls import order_admin_url_name
from .filters import ShopFilter
from .models import OrderRequest, Status
from .permissions import OrderRequestPermissionHelper, OrderRequestURLFinder

INDEX_URL = order_admin_url_name("index")
INSPECT_URL = order_admin_url_name("inspect")
# One URL per action, named like modeladmin's own: orders_orderrequest_modeladmin_accept…
ACTION_URLS = {action: order_admin_url_name(action) for action in transitions.ACTIONS}


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
            expires_at=(
                expiry.expires_at(order.shop, order.created_at)
                if order.status == Status.NEW
                else None
            ),
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


DONE_MESSAGES = {
    transitions.ACCEPT: _("Request %(reference)s is accepted."),
    transitions.READY: _("Request %(reference)s is ready for pick-up."),
    transitions.OUT_FOR_DELIVERY: _("Request %(reference)s is out for delivery."),
    transitions.COMPLETE: _("Request %(reference)s is completed."),
    transitions.DECLINE: _("Request %(reference)s is declined."),
    transitions.NOT_COLLECTED: _("Request %(reference)s is marked not collected."),
    transitions.AT_POINT: _("Request %(reference)s is at the collection point."),
}


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
        orders = scope_to_user(OrderRequest.objects.select_related("shop"), request.user)
        return transitions.with_ready_since(orders)

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
