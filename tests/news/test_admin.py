"""Shop news in the admin: a merchant posts, edits and deletes its own shop's items only;
the text has 500 characters at most; the city's editors hide any item."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import NewsItem

from .. import builders
from ..builders import admin_login

pytestmark = pytest.mark.django_db

URLS = "wagtailsnippets_news_newsitem"
LIST = reverse(f"{URLS}:list")
ADD = reverse(f"{URLS}:add")


def edit_url(item):
    return reverse(f"{URLS}:edit", args=[item.pk])


def test_a_merchant_posts_news_for_its_own_shop_without_choosing_it(client, baker, bakery):
    admin_login(client, baker)
    form = client.get(ADD)
    assert form.status_code == 200
    assert 'name="shop"' not in form.content.decode()  # one shop: not asked

    response = client.post(ADD, {"text": "Fermeture exceptionnelle lundi", "ends_on": ""})

    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert (item.shop_id, item.text, item.ends_on) == (bakery.pk, item.text, None)


def test_a_posted_shop_of_another_merchant_is_ignored(client, baker, bakery, flower_shop):
    admin_login(client, baker)

    client.post(ADD, {"text": "Arrivage de roses", "shop": flower_shop.pk})

    assert NewsItem.objects.get().shop_id == bakery.pk


def test_the_photo_is_one_of_the_shops_own_images(client, baker, bakery, flower_shop):
    own = builders.make_image("Truffes")
    own.collection = bakery.access.collection
    own.save()
    other = builders.make_image("Roses")
    other.collection = flower_shop.access.collection
    other.save()
    admin_login(client, baker)

    refused = client.post(ADD, {"text": "Arrivage de truffes", "photo": other.pk})
    assert refused.status_code == 200
    assert "Choose one of your shop&#x27;s images." in refused.content.decode()
    assert not NewsItem.objects.exists()

    client.post(ADD, {"text": "Arrivage de truffes", "photo": own.pk})
    assert NewsItem.objects.get().photo_id == own.pk


def test_more_than_500_characters_is_refused_next_to_the_field_and_kept(client, baker):
    admin_login(client, baker)
    text = "Truffes fraîches et " * 25 + "!"  # 501 characters

    response = client.post(ADD, {"text": text})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ensure this value has at most 500 characters (it has 501)." in page
    assert f"{text}</textarea>" in page  # what the merchant typed is still there
    assert not NewsItem.objects.exists()
    assert client.post(ADD, {"text": "x" * 500}).status_code == 302


def test_a_merchant_lists_and_edits_its_own_news_only(client, baker, bakery, flower_shop):
    own = builders.news_item(bakery, "Pain de seigle MARQUEUR-PAIN")
    other = builders.news_item(flower_shop, "Pivoines MARQUEUR-FLEUR")
    admin_login(client, baker)

    listing = client.get(LIST).content.decode()
    assert "MARQUEUR-PAIN" in listing and "MARQUEUR-FLEUR" not in listing
    assert client.get(edit_url(own)).status_code == 200
    assert client.get(edit_url(other)).status_code == 404
    assert client.post(edit_url(other), {"text": "Volé"}).status_code == 404
    other.refresh_from_db()
    assert other.text == "Pivoines MARQUEUR-FLEUR"


def test_the_city_hides_an_item_and_says_who_and_when(client, city_editor, bakery):
    item = builders.news_item(bakery)
    admin_login(client, city_editor)
    assert 'name="hidden"' in client.get(edit_url(item)).content.decode()

    response = client.post(edit_url(item), {"shop": bakery.pk, "text": item.text, "hidden": "on"})

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.hidden_by == city_editor and item.hidden_at is not None
    client.post(edit_url(item), {"shop": bakery.pk, "text": item.text})
    item.refresh_from_db()
    assert (item.hidden_at, item.hidden_by) == (None, None)


def test_a_merchant_can_neither_hide_nor_show_again(client, baker, bakery, city_editor):
    item = builders.news_item(bakery)
    admin_login(client, baker)
    assert 'name="hidden"' not in client.get(edit_url(item)).content.decode()

    client.post(edit_url(item), {"text": item.text, "hidden": "on"})
    item.refresh_from_db()
    assert item.hidden_at is None

    NewsItem.objects.filter(pk=item.pk).update(hidden_at="2026-01-01T10:00Z", hidden_by=city_editor)
    client.post(edit_url(item), {"text": "Corrigé"})
    item.refresh_from_db()
    assert item.text == "Corrigé" and item.hidden_by == city_editor  # still hidden


def test_the_merchants_home_offers_to_post_and_shows_its_latest_news(
    client, baker, bakery, flower_shop, city_editor
):
    builders.news_item(bakery, "Pain de seigle")
    builders.news_item(flower_shop, "Pivoines")
    admin_login(client, baker)

    home = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Post news" in home and ADD in home
    assert "Pain de seigle" in home and "Pivoines" not in home
    admin_login(client, city_editor)
    assert "Post news" not in client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.dated
def test_a_last_day_already_past_is_refused_next_to_the_field(client, baker, moment):
    admin_login(client, baker)
    yesterday = timezone.localdate() - timedelta(days=1)

    response = client.post(ADD, {"text": "Soldes", "ends_on": yesterday.isoformat()})

    assert response.status_code == 200
    assert "Choose today or a later day" in response.content.decode()
    assert not NewsItem.objects.exists()
    today = timezone.localdate().isoformat()
    assert client.post(ADD, {"text": "Soldes", "ends_on": today}).status_code == 302
