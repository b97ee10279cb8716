"""Couriers in the admin: the city's; and each courier's round sheet."""

from django.utils.translation import gettext_lazy as _

from merchants.admin_guards import PortalSnippetViewSet

from .models import Courier


class CourierViewSet(PortalSnippetViewSet):
    """The city's alone: merchants and couriers hold no permission on couriers."""

    model = Courier
    icon = "pick"
    menu_label = _("Couriers")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["name", "kind", "postcodes", "fee"]
