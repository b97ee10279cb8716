"""The outbox on the admin's home page."""

from wagtail.admin.ui.components import Component

from . import outbox
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


def outbox_panels(user):
    """The panel for a user who may read the outbox; none for anybody else."""
    return [OutboxPanel()] if user.has_perm("notifications.view_notification") else []
