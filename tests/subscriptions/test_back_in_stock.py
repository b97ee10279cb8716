"""“Tell me when it is back”: one e-mail when the product is back in stock, whatever brings
it back (the merchant's form, the dashboard's button, a bulk action, a file import, a
catalogue sync), then the alert ends."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalogue import sync
from catalogue.items import Item
from catalogue.models import CatalogueSource
from products import importing
from products.models import Availability, Product
from subscriptions.models import Subscriber, Subscription

from .. import builders
from ..builders import admin_login
from .conftest import confirm, follow, mails_to

pytestmark = pytest.mark.django_db

ALERT = "subscriptions/back_in_stock"


@pytest.fixture
def alert(client, sold_out):
    follow(client, "back_in_stock", sold_out)
    confirm(client)
    return Subscription.objects.get()


def told():
    return mails_to(template=ALERT)


def test_the_form_shows_on_an_out_of_stock_product_only(client, bakery, sold_out):
    in_stock = builders.product(bakery, "Baguette")

    page = client.get(sold_out.url).content.decode()

    assert 'name="kind" value="back_in_stock"' in page
    assert f'name="target" value="{sold_out.pk}"' in page
    assert 'value="back_in_stock"' not in client.get(in_stock.url).content.decode()


def test_back_from_the_merchants_form(
    client, alert, baker, sold_out, django_capture_on_commit_callbacks
):
    admin_login(client, baker)
    data = {
        "name": sold_out.name,
        "price": "4.00",
        "availability": "in_stock",
        "is_active": "on",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "8",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailsnippets_products_product:edit", args=[sold_out.pk]), data
        )

    assert response.status_code == 302
    [mail] = told()
    assert mail.context["product"] == "Cramique"
    assert mail.context["product_url"].endswith(sold_out.url)


def test_back_from_the_dashboards_button(
    client, alert, baker, sold_out, django_capture_on_commit_callbacks
):
    admin_login(client, baker)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("merchants_product_stock", args=[sold_out.pk]), {"availability": "in_stock"}
        )

    assert told().count() == 1


def test_back_from_a_bulk_action(
    client, alert, baker, sold_out, django_capture_on_commit_callbacks
):
    admin_login(client, baker)
    url = reverse("wagtail_bulk_action", args=["products", "product", "in_stock"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url + f"?id={sold_out.pk}")

    assert told().count() == 1


def test_back_from_a_file_import(alert, bakery, sold_out, django_capture_on_commit_callbacks):
    plan = importing.parse(bakery, b"name;price;availability\nCramique;3.50;in_stock\n")
    with django_capture_on_commit_callbacks(execute=True):
        importing.apply(plan)

    assert Product.objects.get(pk=sold_out.pk).availability == Availability.IN_STOCK
    assert told().count() == 1


def test_back_from_a_catalogue_sync(client, bakery, django_capture_on_commit_callbacks):
    source = CatalogueSource.objects.create(
        shop=bakery, kind="shopify", url="https://boulangerie.example", name="Ma boutique"
    )

    def item(availability):
        return Item(
            source_key="1",
            where="produit 1",
            name="Cramique",
            price=Decimal("3.50"),
            availability=availability,
        )

    sync.apply_items(source, [item("out_of_stock")])
    follow(client, "back_in_stock", Product.objects.get(source=source))
    confirm(client)
    with django_capture_on_commit_callbacks(execute=True):
        sync.apply_items(source, [item("in_stock")])

    assert told().count() == 1


def test_told_once_then_the_alert_ends_and_the_address_is_forgotten(
    client, alert, sold_out, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Product.objects.filter(pk=sold_out.pk).set_availability(Availability.IN_STOCK)
    with django_capture_on_commit_callbacks(execute=True):
        Product.objects.filter(pk=sold_out.pk).set_availability(Availability.OUT_OF_STOCK)
        Product.objects.filter(pk=sold_out.pk).set_availability(Availability.IN_STOCK)

    [mail] = told()
    assert mail.context["manage_url"]  # the mail still goes out; then nothing is left
    assert not Subscription.objects.exists() and not Subscriber.objects.exists()
    # Only the alert keeps the address until it is sent; the confirmation is scrubbed.
    assert mails_to().count() == 1


def test_nothing_before_confirmation_then_told_at_confirmation(
    client, sold_out, django_capture_on_commit_callbacks
):
    follow(client, "back_in_stock", sold_out)
    with django_capture_on_commit_callbacks(execute=True):
        Product.objects.filter(pk=sold_out.pk).set_availability(Availability.IN_STOCK)
    assert not told().exists()

    with django_capture_on_commit_callbacks(execute=True):
        confirm(client)

    assert told().count() == 1


def test_an_alert_on_a_product_in_stock_is_refused(client, bakery):
    bread = builders.product(bakery, "Baguette")

    response = follow(client, "back_in_stock", bread)

    assert response.status_code == 400
    assert not Subscription.objects.exists()
