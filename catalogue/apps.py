from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Catalogue sources")

    # What the roles that merchants sets up grant of this app (merchants/roles.py and
    # merchants/access.py read them): a merchant adds, edits and runs its shop's sources.
    city_editor_models = ["cataloguesource"]
    merchant_permissions = [
        "add_cataloguesource",
        "change_cataloguesource",
        "delete_cataloguesource",
        "view_cataloguesource",
    ]
