from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectionConfig(AppConfig):
    name = "collection"
    verbose_name = _("Collection points")
    # The city defines the points (merchants/roles.py reads this); merchants hold no
    # permission on them.
    city_editor_models = ["collectionpoint"]

    def ready(self):
        from . import signals  # noqa: F401
