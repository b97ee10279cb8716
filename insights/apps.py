from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """The portal's numbers: visit counters, the city's reports, each merchant's figures,
    the public page and the nudges. It reads the other apps; none of them imports it."""

    name = "insights"
    verbose_name = _("Statistics")
