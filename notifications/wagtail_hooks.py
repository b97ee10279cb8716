from django.contrib.auth.models import Permission
from django.urls import path
from wagtail import hooks
from wagtail.admin.ui.components import Component

from . import outbox, views
from .models import Notification

FAILED_SHOWN = 20


class OutboxPanel(Component):
    """Is mail flowing? For the city: pending and failed e-mails, and a way to resend."""

    name = "notifications_outbox"
    template_name = "notifications/outbox_panel.html"
    order = 150

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        failed = Notification.objects.failed().order_by("-failed_at")
        return {
            "health": outbox.health(),
            "failed_notifications": failed[:FAILED_SHOWN],
            "can_resend": user.has_perm("notifications.change_notification"),
            "csrf_token": parent_context["csrf_token"],
        }


@hooks.register("construct_homepage_panels")
def add_outbox_panel(request, panels):
    if request.user.has_perm("notifications.view_notification"):
        panels.append(OutboxPanel())


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("notifications/<int:pk>/resend/", views.resend, name="notifications_resend"),
    ]


@hooks.register("register_permissions")
def register_permissions():
    # Lists the outbox on the group editing screen, so the city can grant it.
    return Permission.objects.filter(
        content_type__app_label="notifications",
        codename__in=["view_notification", "change_notification"],
    )
