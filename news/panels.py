"""The merchant's news panel on the admin's home page: "Post news" and its shops' latest
items, with what residents see of each (shown, ended, hidden by the city). One query."""

from django.utils import timezone
from wagtail.admin.ui.components import Component

from merchants.ownership import managed_shop_ids

from .models import NewsItem

LATEST = 3


class NewsPanel(Component):
    name = "shop_news"
    template_name = "news/admin/panel.html"
    order = 30

    def __init__(self, items):
        self.items = items

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        return {"items": [(item, item.is_visible_on(today)) for item in self.items]}


def add_news_panel(request, panels):
    """For a merchant (a city editor has the whole admin and no such panel)."""
    shop_ids = managed_shop_ids(request.user)
    if shop_ids:
        items = NewsItem.objects.filter(shop__in=shop_ids).newest_first()
        panels.append(NewsPanel(list(items[:LATEST])))
