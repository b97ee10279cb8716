"""The residents' data pages in the Wagtail admin: under Settings, for city editors only.

Imported by orders/wagtail_hooks.py, so that Wagtail registers these hooks with the rest.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from merchants.ownership import is_city_editor

from . import privacy_views


class CityEditorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_city_editor(request.user)


@hooks.register("register_admin_urls")
def register_residents_data_urls():
    return [
        path("residents-data/", privacy_views.residents_data, name=privacy_views.INDEX_URL),
        path("residents-data/export/", privacy_views.export, name=privacy_views.EXPORT_URL),
        path("residents-data/erase/", privacy_views.erase, name=privacy_views.ERASE_URL),
    ]


@hooks.register("register_settings_menu_item")
def register_residents_data_menu_item():
    return CityEditorMenuItem(
        _("Residents' data"),
        reverse(privacy_views.INDEX_URL),
        name="residents-data",
        icon_name="user",
        order=900,
    )
