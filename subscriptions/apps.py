from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = _("Subscriptions")

    def ready(self):
        from products.models import restocked

        from .lifecycle import send_back_in_stock_alerts

        restocked.connect(send_back_in_stock_alerts, dispatch_uid="subscriptions-back-in-stock")
