from django.contrib.auth.models import Permission
from django.urls import path
from wagtail import hooks

from . import dashboard, views


@hooks.register("construct_homepage_panels")
def add_outbox_panel(request, panels):
    panels.extend(dashboard.outbox_panels(request.user))


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
