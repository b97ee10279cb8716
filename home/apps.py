from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Showcase")

    def ready(self):
        from . import page_cache, staff_sessions  # noqa: F401  (connects the log-in signal)

        page_cache.connect_purges()
