"""The order admin and the residents' data pages, registered with Wagtail.

The order admin itself is in admin_views.py, its forms in admin_forms.py, its rule in
permissions.py; the residents' data pages in privacy_views.py.
"""

from wagtail import hooks
from wagtail_modeladmin.options import modeladmin_register

from . import dashboard, privacy_views
from .admin_views import OrderRequestAdmin

modeladmin_register(OrderRequestAdmin)


@hooks.register("construct_homepage_panels")
def add_order_panels(request, panels):
    panels.extend(dashboard.order_panels(request.user))


@hooks.register("register_admin_urls")
def register_residents_data_urls():
    return privacy_views.admin_urls()


@hooks.register("register_settings_menu_item")
def register_residents_data_menu_item():
    return privacy_views.menu_item()
