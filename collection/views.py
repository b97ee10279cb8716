"""Collection points in the admin."""

from django.utils.translation import gettext_lazy as _

from merchants.admin_guards import PortalSnippetViewSet

from .models import CollectionPoint


class CollectionPointViewSet(PortalSnippetViewSet):
    """The city's alone: merchants hold no permission on collection points."""

    model = CollectionPoint
    icon = "site"
    menu_label = _("Collection points")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "town", "capacity_per_day", "paused_until"]
