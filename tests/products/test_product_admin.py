"""The catalogue in the admin, for a merchant: its own products, quick to change."""

from decimal import Decimal

import pytest
from django.urls import reverse

from products.models import Product

from .. import builders
from ..builders import admin_login

pytestmark = pytest.mark.django_db

LIST = reverse("wagtailsnippets_products_product:list")


def bulk_url(action, *products):
    ids = "&".join(f"id={product.pk}" for product in products)
    return reverse("wagtail_bulk_action", args=["products", "product", action]) + f"?{ids}"


@pytest.fixture
def breads(bakery):
    return [builders.product(bakery, name) for name in ("Baguette", "Pain de seigle", "Brioche")]


@pytest.mark.parametrize(
    "action,field,value",
    [
        ("out_of_stock", "availability", "out_of_stock"),
        ("hide", "is_active", False),
    ],
)
def test_a_bulk_action_changes_every_selected_product_and_only_those(
    client, baker, breads, action, field, value
):
    admin_login(client, baker)

    response = client.post(bulk_url(action, *breads[:2]), {})

    assert response.status_code == 302
    for product in breads:
        product.refresh_from_db()
    assert [getattr(product, field) for product in breads[:2]] == [value, value]
    assert getattr(breads[2], field) != value


def test_in_stock_and_show_undo_them(client, baker, breads):
    Product.objects.update(availability="out_of_stock", is_active=False)
    admin_login(client, baker)

    client.post(bulk_url("in_stock", *breads), {})
    client.post(bulk_url("show", *breads), {})

    assert set(Product.objects.values_list("availability", "is_active")) == {("in_stock", True)}


def test_a_hidden_product_leaves_the_public_search(client, baker, breads):
    admin_login(client, baker)
    assert "Brioche" in client.get("/recherche/?q=brioche").content.decode()

    client.post(bulk_url("hide", breads[2]), {})

    assert "Brioche" not in client.get("/recherche/?q=brioche").content.decode()


def test_the_confirmation_names_the_selected_products(client, baker, breads):
    admin_login(client, baker)

    page = client.get(bulk_url("out_of_stock", *breads[:2])).content.decode()

    assert "Baguette" in page and "Pain de seigle" in page
    assert "Brioche" not in page


def test_a_merchant_of_one_shop_is_not_asked_for_the_shop(client, baker, bakery):
    admin_login(client, baker)

    page = client.get(reverse("wagtailsnippets_products_product:add")).content.decode()

    assert 'name="shop"' not in page
    # The essentials come first; the rest waits on a second tab.
    assert page.index('name="price"') < page.index('name="sku"')
    assert "More details" in page


def test_the_city_editor_chooses_the_shop(client, city_editor, bakery):
    admin_login(client, city_editor)

    page = client.get(reverse("wagtailsnippets_products_product:add")).content.decode()

    assert 'name="shop"' in page


def test_duplicating_a_product_fills_a_new_one_without_its_reference(client, baker, bakery):
    photo = builders.make_image("Baguette")
    original = builders.product(
        bakery, "Baguette tradition", sku="BAG-1", price=Decimal("1.30"), image=photo
    )
    admin_login(client, baker)

    page = client.get(reverse("wagtailsnippets_products_product:copy", args=[original.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="Baguette tradition (copy)"' in html
    assert 'value="BAG-1"' not in html
    assert "Photo de Baguette tradition" in html  # the photo comes along
    assert Product.objects.count() == 1  # nothing is saved until the form is sent
