from wagtail import hooks
from wagtail.snippets.models import register_snippet

from . import privacy, views
from .checkout import CourierMode, mail_context

register_snippet(views.CourierViewSet)
hooks.register("checkout_modes", CourierMode())
hooks.register("order_mail_context", mail_context)
hooks.register("register_admin_urls", views.admin_urls)
hooks.register("register_admin_menu_item", views.menu_item)


@hooks.register("construct_homepage_panels")
def add_round_sheet_panel(request, panels):
    panels.extend(views.home_panels(request.user))


hooks.register("anonymise_requests", privacy.anonymise)
hooks.register("export_resident_data", privacy.export)
