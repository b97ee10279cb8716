"""A shop's Atom feed carries its news with its products new or back in stock."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from .. import builders
from ..feeds.conftest import ATOM, atom_entries

pytestmark = [pytest.mark.django_db, pytest.mark.dated]


def titles(response):
    return [entry.find(f"{ATOM}title").text for entry in atom_entries(response)]


def test_the_shops_feed_lists_its_visible_news_newest_first(
    client, bakery, flower_shop, city_editor, moment
):
    builders.product(bakery, "Baguette")
    truffles = builders.news_item(bakery, "Arrivage de truffes samedi")
    builders.news_item(bakery, "Masquée", hidden_at=timezone.now(), hidden_by=city_editor)
    builders.news_item(bakery, "Finie", ends_on=timezone.localdate() - timedelta(days=1))
    builders.news_item(flower_shop, "Pivoines")

    response = client.get(reverse("feeds:shop:news", args=[bakery.pk]))

    assert titles(response) == ["Nouvelle : Arrivage de truffes samedi", "Nouveau : Baguette"]
    entry = atom_entries(response)[0]
    assert entry.find(f"{ATOM}link").get("href").endswith(f"#news-{truffles.pk}")
    assert entry.find(f"{ATOM}summary").text == "Arrivage de truffes samedi"
    town = client.get(reverse("feeds:town:news"))
    assert titles(town) == ["Nouveau : Baguette"]  # the products' news only


def test_a_post_changes_the_shops_feed_version(client, bakery, moment):
    url = reverse("feeds:shop:news", args=[bakery.pk])
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304

    item = builders.news_item(bakery, "<b>Fermé</b> lundi & mardi")

    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert titles(response) == ["Nouvelle : <b>Fermé</b> lundi & mardi"]  # text, as typed
    item.delete()
    assert client.get(url, headers={"if-none-match": response["ETag"]}).status_code == 200
