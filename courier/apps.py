from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CourierConfig(AppConfig):
    name = "courier"
    verbose_name = _("The town's courier")
    # The city defines couriers (merchants/roles.py reads this); merchants hold no
    # permission on them, and a courier's members only reach their round sheet.
    city_editor_models = ["courier"]

    def ready(self):
        from . import signals  # noqa: F401
