"""The order requests on the admin's home page."""

from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from merchants.ownership import manages_any_shop, scope_to_user

from . import transitions
from .admin_urls import order_admin_url_name
from .models import OrderRequest, Status

NEW_ORDERS_SHOWN = 10


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
        overdue = list(overdue.order_by("ready_since", "pk")[:NEW_ORDERS_SHOWN])
        for order in overdue:
            order.days_waiting = transitions.days_waiting(order, order.ready_since, now)
        return {
            "new_count": new.count(),
            "new_requests": new.select_related("shop").order_by("created_at", "pk")[
                :NEW_ORDERS_SHOWN
            ],
            "overdue": overdue,
            "index_url": reverse(order_admin_url_name("index")),
        }


def order_panels(user):
    """The panel for a user who manages a shop (or every shop); none for anybody else."""
    return [NewRequestsPanel()] if manages_any_shop(user) else []
