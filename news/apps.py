from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("Shop news")

    # What the roles that merchants sets up grant of this app (merchants/roles.py and
    # merchants/access.py read them): a merchant posts, edits and deletes its shop's news;
    # the city editors hold every permission of the model, hiding an item included.
    city_editor_models = ["newsitem"]
    merchant_permissions = ["add_newsitem", "change_newsitem", "delete_newsitem", "view_newsitem"]
    # A shop's last update (MerchantPageQuerySet.with_last_update): an item posted.
    shop_activity = {"newsitem": "posted_at"}
