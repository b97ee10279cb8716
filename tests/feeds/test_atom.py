"""Atom feeds of what is new or back in stock: the town's, a shop's, a product category's."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from products.models import Availability, Product

from .. import builders
from .conftest import ATOM, atom_entries, canonical_link

pytestmark = [pytest.mark.django_db, pytest.mark.dated]


def titles(response):
    return [entry.find(f"{ATOM}title").text for entry in atom_entries(response)]


def age(product, days, **dates):
    """Move the product's creation (and `dates`) `days` back in time."""
    Product.objects.filter(pk=product.pk).update(
        created_at=timezone.now() - timedelta(days=days), **dates
    )


def test_the_town_feed_lists_what_is_new_or_back_in_stock_newest_first(client, bakery, moment):
    old = builders.product(bakery, "Pain ancien")
    age(old, 90)
    back = builders.product(bakery, "Brioche", availability=Availability.OUT_OF_STOCK)
    age(back, 90)
    builders.product(bakery, "Baguette")
    back.availability = Availability.IN_STOCK
    back.save()

    response = client.get(reverse("feeds:town:news"))

    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert titles(response) == ["Retour en stock : Brioche", "Nouveau : Baguette"]


def test_each_entry_links_to_the_canonical_page(client, bakery, moment):
    builders.product(bakery, "Baguette")

    [entry] = atom_entries(client.get(reverse("feeds:shop:news", args=[bakery.pk])))

    link = entry.find(f"{ATOM}link").get("href")
    assert link == canonical_link(client, link)


def test_a_product_back_in_stock_twice_is_news_twice(client, bakery, moment):
    bread = builders.product(bakery, "Baguette")
    age(bread, 90, restocked_at=timezone.now() - timedelta(days=10))
    first = atom_entries(client.get(reverse("feeds:town:news")))[0].find(f"{ATOM}id").text

    bread.availability = Availability.OUT_OF_STOCK
    bread.save()
    bread.availability = Availability.IN_STOCK
    bread.save()

    second = atom_entries(client.get(reverse("feeds:town:news")))[0].find(f"{ATOM}id").text
    assert first != second


def test_the_category_feed_lists_only_its_category(client, bakery, flower_shop, moment):
    breads = builders.product_category("Pains")
    builders.product(bakery, "Baguette", category=breads)
    builders.product(bakery, "Croissant")
    builders.product(flower_shop, "Pain de fleurs", category=breads)

    response = client.get(reverse("feeds:category_news", args=[breads.slug]))

    assert sorted(titles(response)) == ["Nouveau : Baguette", "Nouveau : Pain de fleurs"]
    assert client.get(reverse("feeds:category_news", args=["inconnue"])).status_code == 404


def test_special_characters_survive_in_the_entries(client, bakery, moment):
    builders.product(bakery, 'Tarte "<fine>" & 🍏\x02', short_description="Aux <pommes> & co")

    [entry] = atom_entries(client.get(reverse("feeds:town:news")))

    assert entry.find(f"{ATOM}title").text == 'Nouveau : Tarte "<fine>" & 🍏'
    # The summary is HTML: the text shows as typed, not as markup.
    assert "Aux &lt;pommes&gt; &amp; co" in entry.find(f"{ATOM}summary").text
