"""Shop news on public pages: the shop's page and the home page's "News from the shops",
until the item's end date, unless the city hid it; at once after a post, an edit or a hide
(the page cache is purged); in the same number of queries whatever the number of items."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.models import NewsItem

from .. import builders, timetravel

pytestmark = pytest.mark.django_db


def shown(client, page, text):
    return text in client.get(page.url).content.decode()


def test_news_shows_on_the_shop_page_and_the_home_page(client, home, bakery, flower_shop):
    builders.news_item(bakery, "Arrivage de truffes samedi")
    builders.news_item(flower_shop, "Pivoines de saison")

    shop_page = client.get(bakery.url).content.decode()
    assert "Arrivage de truffes samedi" in shop_page
    assert "Pivoines de saison" not in shop_page
    home_page = client.get(home.url).content.decode()
    assert "Nouvelles des commerces" in home_page
    assert "Arrivage de truffes samedi" in home_page and "Pivoines de saison" in home_page


def test_a_post_an_edit_and_a_hide_show_at_once_on_cached_pages(client, home, bakery, city_editor):
    assert not shown(client, bakery, "Fermeture exceptionnelle")  # both pages now cached
    assert not shown(client, home, "Fermeture exceptionnelle")

    item = builders.news_item(bakery, "Fermeture exceptionnelle lundi")
    assert shown(client, bakery, "Fermeture exceptionnelle lundi")
    assert shown(client, home, "Fermeture exceptionnelle lundi")

    item.text = "Fermeture exceptionnelle mardi"
    item.save()
    assert shown(client, home, "Fermeture exceptionnelle mardi")

    item.hidden_at, item.hidden_by = timezone.now(), city_editor
    item.save()
    assert not shown(client, bakery, "Fermeture exceptionnelle")
    assert not shown(client, home, "Fermeture exceptionnelle")


def test_news_of_an_unpublished_shop_is_not_shown(client, home, bakery):
    builders.news_item(bakery, "Arrivage de truffes samedi")
    bakery.unpublish()

    assert not shown(client, home, "Arrivage de truffes")


@pytest.mark.dated
def test_an_item_shows_through_its_end_date_and_not_after(client, home, bakery, moment):
    today = timezone.localdate()
    builders.news_item(bakery, "Soldes jusqu'à demain", ends_on=today + timedelta(days=1))
    builders.news_item(bakery, "Soldes finies hier", ends_on=today - timedelta(days=1))

    assert shown(client, bakery, "Soldes jusqu&#x27;à demain")
    assert not shown(client, bakery, "Soldes finies hier")
    assert NewsItem.objects.visible().count() == 1

    # The day after the end date, in the town's time: gone from the cached pages too.
    with timetravel.travel(moment + timedelta(days=2)):
        assert not shown(client, bakery, "Soldes jusqu&#x27;à demain")
        assert not shown(client, home, "Soldes jusqu&#x27;à demain")
        assert not NewsItem.objects.visible().exists()


def home_queries(client, home, items, settings):
    """The home page's queries on the first request after a purge, with `items` news items
    (half with a photo) of as many shops."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    photo = builders.make_image("Arrivage")
    for number in range(items):
        shop = builders.shop(f"Commerce {number:03d}")
        builders.news_item(shop, f"Nouvelle {number}", photo=photo if number % 2 else None)
    assert client.get(home.url).status_code == 200  # the renditions, made once
    NewsItem.objects.update(updated_at=timezone.now())  # a purge
    with CaptureQueriesContext(connection) as queries:
        page = client.get(home.url).content.decode()
    assert page.count('class="news-item"') == min(items, 6)
    return len(queries)


def test_the_home_block_costs_the_same_queries_with_2_or_12_items(client, home, settings):
    two = home_queries(client, home, 2, settings)
    NewsItem.objects.all().delete()
    assert two == home_queries(client, home, 12, settings)
