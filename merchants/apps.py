from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_roles(sender, app_config, **kwargs):
    # post_migrate is sent once per app with models; wait for the last one, when every
    # permission row exists. A test that narrows the installed apps (available_apps) is
    # not a migration of the site: it must not write the site's groups.
    if not apps.is_installed("merchants"):
        return
    if app_config is not [config for config in apps.get_app_configs() if config.models_module][-1]:
        return
    from .access import ensure_every_shop_access
    from .roles import ensure_city_editors_group

    ensure_city_editors_group()
    ensure_every_shop_access()


class MerchantsConfig(AppConfig):
    name = "merchants"
    verbose_name = _("Shops")

    def ready(self):
        post_migrate.connect(_ensure_roles, dispatch_uid="merchants.ensure_roles")
        from . import signals  # noqa: F401
