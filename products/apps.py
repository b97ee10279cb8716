from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "products"
    verbose_name = _("Products")

    # What the roles that merchants sets up grant of this app (merchants/roles.py and
    # merchants/access.py read them): merchants does not know the apps built on it.
    city_editor_models = ["productcategory", "product"]
    merchant_permissions = ["add_product", "change_product", "delete_product", "view_product"]
    # A shop's last update (MerchantPageQuerySet.with_last_update): a product edited.
    shop_activity = {"product": "updated_at"}

    def ready(self):
        from . import front_cache

        front_cache.connect()
