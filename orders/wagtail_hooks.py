"""The shops' order requests in the Wagtail admin: a list, an export, one page per request.

Requests come from residents, so the admin only reads them. Every list, search, export and
page goes through the ownership rule of `merchants.ownership`.
"""

import datetime

from django.contrib.admin import SimpleListFilter, display
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.utils import label_for_field, lookup_field
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import re_path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.admin_url_finder import register_admin_url_finder
from wagtail.admin.ui.components import Component
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register
from wagtail_modeladmin.views import IndexView, InspectView

from home.money import format_money
from merchants.ownership import (
    can_manage,
    get_object_for_user,
    is_city_editor,
    managed_shop_ids,
    scope_to_user,
    shops_for_user,
)
from notifications.models import Notification

from .models import OrderRequest, Status

INDEX_URL = "orders_orderrequest_modeladmin_index"
INSPECT_URL = "orders_orderrequest_modeladmin_inspect"
NEW_REQUESTS_SHOWN = 10
# A cell starting with one of these is a formula to a spreadsheet; names are typed by residents.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def manages_any_shop(user):
    return is_city_editor(user) or bool(managed_shop_ids(user))


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


class OrderRequestIndexView(IndexView):
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

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if (
            export_format == self.FORMAT_CSV
            and isinstance(value, str)
            and value.startswith(FORMULA_PREFIXES)
        ):
            # openpyxl already keeps such a cell as text in XLSX.
            return "'" + value
        return value


def notifications_for(reference):
    """The e-mails about one request; the resident's confirmation lists several, comma-joined."""
    return Notification.objects.filter(
        Q(reference=reference)
        | Q(reference__startswith=f"{reference},")
        | Q(reference__endswith=f",{reference}")
        | Q(reference__contains=f",{reference},")
    ).order_by("created_at", "pk")


class OrderRequestInspectView(InspectView):
    page_title = _("Order request")

    def dispatch(self, request, *args, **kwargs):
        # modeladmin has already answered 404 for a missing request.
        try:
            self.instance = get_object_for_user(
                OrderRequest.objects.select_related("shop"), request.user, pk=self.instance.pk
            )
        except PermissionDenied:
            # A true 403: Wagtail turns PermissionDenied into a redirect to the dashboard.
            return TemplateResponse(request, "orders/admin/request_forbidden.html", status=403)
        return super().dispatch(request, *args, **kwargs)

    def get_fields_dict(self):
        # The template lays the request out itself.
        return []

    def get_context_data(self, **kwargs):
        order = self.instance
        return super().get_context_data(
            order=order,
            lines=order.lines.all(),
            history=order.history.select_related("by"),
            notifications=notifications_for(order.reference),
            **kwargs,
        )


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
        "status",
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
        "commission_rate",
        "commission",
    )
    export_filename = "order-requests"

    def get_queryset(self, request):
        return scope_to_user(OrderRequest.objects.select_related("shop"), request.user)

    @display(description=_("total"))
    def formatted_total(self, obj):
        return format_money(obj.total)

    def get_admin_urls_for_registration(self):
        # The list and each request's page; no create, edit, delete or history view exists.
        helper = self.url_helper
        return (
            re_path(helper.get_action_url_pattern("index"), self.index_view, name=INDEX_URL),
            re_path(
                rf"^{helper.base_url_path}/inspect/(?P<instance_pk>\d+)/$",
                self.inspect_view,
                name=INSPECT_URL,
            ),
        )

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
        return {
            "new_count": new.count(),
            "new_requests": new.select_related("shop").order_by("created_at", "pk")[
                :NEW_REQUESTS_SHOWN
            ],
            "index_url": reverse(INDEX_URL),
        }


@hooks.register("construct_homepage_panels")
def add_new_requests_panel(request, panels):
    if manages_any_shop(request.user):
        panels.append(NewRequestsPanel())
