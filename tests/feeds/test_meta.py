"""Meta's catalogue (Facebook, Instagram, WhatsApp): a CSV file with Meta's columns."""

from decimal import Decimal

import pytest
from django.urls import reverse

from .. import builders
from .conftest import PRICE, canonical_link, csv_rows

pytestmark = pytest.mark.django_db

REQUIRED = (
    "id",
    "title",
    "description",
    "availability",
    "condition",
    "price",
    "link",
    "image_link",
    "brand",
)


def meta_feed(client, shop_page):
    return client.get(reverse("feeds:shop:meta", kwargs={"shop_id": shop_page.pk}))


def test_the_catalogue_gives_metas_required_columns(client, bakery, photo):
    bread = builders.product(bakery, "Baguette", image=photo, brand="Maison Dupont")

    response = meta_feed(client, bakery)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    [row] = csv_rows(response)
    assert all(row[column] for column in REQUIRED)
    assert row["id"] == str(bread.pk)
    assert row["availability"] == "in stock"
    assert row["condition"] == "new"
    assert PRICE.match(row["price"]) and row["sale_price"] == ""
    assert row["brand"] == "Maison Dupont"
    assert row["link"] == canonical_link(client, row["link"])


def test_meta_requires_a_brand_the_shops_name_stands_in(client, bakery, photo):
    builders.product(bakery, "Baguette", image=photo)

    [row] = csv_rows(meta_feed(client, bakery))

    assert row["brand"] == "Boulangerie Dupont"


def test_a_promotion_gives_the_former_price_and_the_sale_price(client, bakery, photo):
    builders.product(bakery, "Galette", image=photo, price=Decimal("9"), former_price=Decimal("11"))

    [row] = csv_rows(meta_feed(client, bakery))

    assert (row["price"], row["sale_price"]) == ("11.00 EUR", "9.00 EUR")


def test_commas_quotes_and_line_breaks_are_quoted_not_defused(client, bakery, photo):
    builders.product(
        bakery,
        '=Pain "complet", 500 g',
        image=photo,
        short_description='Farine, eau\net sel; "sans additif"\r\n@maison',
    )

    [row] = csv_rows(meta_feed(client, bakery))

    # Exact, as typed: a machine reads it, not a spreadsheet (home/spreadsheets.py).
    assert row["title"] == '=Pain "complet", 500 g'
    assert row["description"] == 'Farine, eau et sel; "sans additif" @maison'
