from wagtail import hooks
from wagtail.snippets.models import register_snippet

from . import checkout, dashboard, pickups, privacy, views

register_snippet(views.CollectionPointViewSet)

hooks.register("extend_checkout_form", checkout.extend_checkout_form)
hooks.register("clean_checkout_form", checkout.clean_checkout_form)
hooks.register("checkout_placed", checkout.checkout_placed)
hooks.register("order_status_changed", pickups.on_status_changed)
hooks.register("register_admin_urls", views.admin_urls)
hooks.register("register_admin_menu_item", views.menu_item)
hooks.register("export_resident_data", privacy.export)


@hooks.register("construct_homepage_panels")
def add_staff_panel(request, panels):
    panels.extend(dashboard.staff_panels(request.user))
