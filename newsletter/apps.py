from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = _("Newsletter")
    # The communications team's alone: merchants hold no permission on it.
    city_editor_models = ["newsletter"]
