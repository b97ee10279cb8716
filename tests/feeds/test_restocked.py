"""`Product.restocked_at` says when a product came back in stock: the "back in stock" feeds
read it. Every way the merchant changes a product's availability keeps it true."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from products.models import Availability, Product

from .. import builders
from ..builders import admin_login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "before,after,back",
    [
        ("out_of_stock", "in_stock", True),
        ("out_of_stock", "limited", True),
        ("out_of_stock", "on_order", True),
        ("out_of_stock", "out_of_stock", False),
        ("in_stock", "limited", False),
        ("limited", "out_of_stock", False),
        ("on_order", "in_stock", False),
    ],
)
def test_only_leaving_out_of_stock_is_coming_back_in_stock(before, after, back):
    assert Product.comes_back_in_stock(before, after) is back


def test_saving_a_product_back_in_stock_dates_it(bakery):
    bread = builders.product(bakery, "Baguette", availability=Availability.OUT_OF_STOCK)
    assert bread.restocked_at is None

    bread.availability = Availability.IN_STOCK
    bread.save()

    assert Product.objects.get(pk=bread.pk).restocked_at is not None


def test_saving_only_the_availability_dates_it_too(bakery):
    bread = builders.product(bakery, "Baguette", availability=Availability.OUT_OF_STOCK)

    bread.availability = Availability.LIMITED
    bread.save(update_fields=["availability"])

    assert Product.objects.get(pk=bread.pk).restocked_at == bread.restocked_at is not None


def test_other_saves_leave_the_date_alone(bakery):
    bread = builders.product(bakery, "Baguette", availability=Availability.IN_STOCK)

    bread.price = 2
    bread.save()
    bread.availability = Availability.OUT_OF_STOCK
    bread.save()
    bread.name = "Baguette tradition"
    bread.save(update_fields=["name"])

    assert Product.objects.get(pk=bread.pk).restocked_at is None


def reads_before_writing(save):
    """The SELECTs `save` runs before it writes the product (indexing follows the write)."""
    with CaptureQueriesContext(connection) as queries:
        save()
    sql = [query["sql"] for query in queries]
    first_write = next(i for i, text in enumerate(sql) if text.startswith(("UPDATE", "INSERT")))
    return [text for text in sql[:first_write] if text.startswith("SELECT")]


def test_the_stored_availability_is_read_once_and_only_when_saved(bakery):
    bread = builders.product(bakery, "Baguette", availability=Availability.OUT_OF_STOCK)
    bread.availability = Availability.IN_STOCK

    assert reads_before_writing(lambda: bread.save(update_fields=["price"])) == []
    # A full save reads the stored row once, for the address and the stock together.
    [read] = reads_before_writing(bread.save)
    assert '"availability"' in read and '"slug"' in read


def test_the_in_stock_bulk_action_dates_only_the_products_that_were_out(client, baker, bakery):
    out = builders.product(bakery, "Baguette", availability=Availability.OUT_OF_STOCK)
    limited = builders.product(bakery, "Brioche", availability=Availability.LIMITED)
    admin_login(client, baker)
    ids = f"id={out.pk}&id={limited.pk}"

    client.post(
        reverse("wagtail_bulk_action", args=["products", "product", "in_stock"]) + f"?{ids}"
    )

    dates = dict(Product.objects.values_list("name", "restocked_at"))
    assert dates["Baguette"] is not None
    assert dates["Brioche"] is None
    assert set(Product.objects.values_list("availability", flat=True)) == {"in_stock"}


def test_the_dashboards_stock_button_dates_it(client, baker, bakery):
    bread = builders.product(bakery, "Baguette", availability=Availability.OUT_OF_STOCK)
    admin_login(client, baker)

    client.post(reverse("merchants_product_stock", args=[bread.pk]), {"availability": "in_stock"})

    assert Product.objects.get(pk=bread.pk).restocked_at is not None
