"""The demo town's merchants have posted news, shown on the home page and their shop's page."""

import io

import pytest
from django.core.management import call_command

from news.models import NewsItem

pytestmark = pytest.mark.django_db


def test_the_demo_town_has_shop_news_once(client):
    call_command("seed_demo", size="small", force=True, stdout=io.StringIO())
    items = list(NewsItem.objects.visible().select_related("shop"))
    assert len(items) >= 3
    assert len({item.shop_id for item in items}) == len(items)  # one per shop

    home = client.get("/").content.decode()
    newest = NewsItem.objects.visible().newest_first().first()
    assert newest.text.replace("'", "&#x27;") in home
    shop_page = client.get(newest.shop.url).content.decode()
    assert newest.text.replace("'", "&#x27;") in shop_page

    call_command("seed_demo", size="small", force=True, stdout=io.StringIO())
    assert NewsItem.objects.count() == len(items)
