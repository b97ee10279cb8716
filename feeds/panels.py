"""The merchant's feeds panel on the admin's home page: the addresses of its shop's feeds,
and how to register them with Google Merchant Center and Meta Commerce Manager."""

from urllib.parse import urljoin

from django.urls import reverse
from wagtail.admin.ui.components import Component

from merchants.ownership import merchant_shops


class FeedsPanel(Component):
    """One per shop the merchant manages, after the shop's own panel."""

    template_name = "feeds/admin/feeds_panel.html"
    order = 50

    def __init__(self, shop):
        self.shop = shop
        self.name = f"feeds_{shop.pk}"

    def feed_url(self, kind):
        """The feed's address on the shop's site (the admin may live on another host)."""
        path = reverse(f"feeds:shop:{kind}", kwargs={"shop_id": self.shop.pk})
        return urljoin(self.site_url, path)

    def get_context_data(self, parent_context):
        shop = self.shop
        self.site_url = shop.get_site().root_url
        return {
            "panel_id": f"feeds-{shop.pk}",
            "shop": shop,
            "google_url": self.feed_url("google"),
            # Without a store code, the local inventory feed answers 404 (feeds/views.py).
            "local_url": self.feed_url("local") if shop.store_code else "",
            "meta_url": self.feed_url("meta"),
            "news_url": self.feed_url("news"),
        }


def add_feeds_panels(request, panels):
    panels.extend(FeedsPanel(shop) for shop in merchant_shops(request.user))
