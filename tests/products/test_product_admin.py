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


def test_a_bulk_action_counts_as_an_update_of_the_products(client, baker, breads):
    from datetime import timedelta

    from django.utils import timezone

    long_ago = timezone.now() - timedelta(days=90)
    Product.objects.update(updated_at=long_ago)
    admin_login(client, baker)

    client.post(bulk_url("out_of_stock", breads[0]), {})

    # The shop is not "stale" when its merchant has just changed its products.
    assert Product.objects.get(pk=breads[0].pk).updated_at > long_ago
    assert Product.objects.get(pk=breads[1].pk).updated_at == long_ago


def test_in_stock_and_show_undo_them(client, baker, breads):
    Product.objects.update(availability="out_of_stock", is_active=False)
    admin_login(client, baker)

    client.post(bulk_url("in_stock", *breads), {})
    client.post(bulk_url("show", *breads), {})

    assert set(Product.objects.values_list("availability", "is_active")) == {("in_stock", True)}


def test_a_hidden_product_leaves_the_public_search(client, baker, breads):
    admin_login(client, baker)
    assert "Brioche" in client.get("/search/?q=brioche").content.decode()

    client.post(bulk_url("hide", breads[2]), {})

    assert "Brioche" not in client.get("/search/?q=brioche").content.decode()


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


@pytest.mark.parametrize(
    "view", ["edit", "inspect", "copy", "delete", "usage", "history", "history_results"]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_shops_product_is_not_found_in_any_view(client, baker, flower_shop, view, method):
    roses = builders.product(flower_shop, "Bouquet de roses")
    admin_login(client, baker)

    response = getattr(client, method)(
        reverse(f"wagtailsnippets_products_product:{view}", args=[roses.pk])
    )

    # As missing as a product that never was: no redirect telling the merchant it exists.
    assert response.status_code == 404
    assert Product.objects.filter(pk=roses.pk, name="Bouquet de roses").exists()


def photo_in(collection, title):
    image = builders.make_image(title)
    image.collection = collection
    image.save()
    return image


def product_post(name, image):
    return {
        "name": name,
        "price": "2.00",
        "availability": "in_stock",
        "is_active": "on",
        "images-TOTAL_FORMS": "1",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "8",
        "images-0-image": image.pk,
        "images-0-alt_text": "Une photo",
        "images-0-ORDER": "1",
    }


def test_a_merchant_cannot_attach_another_shops_photo(client, baker, bakery, flower_shop):
    theirs = photo_in(flower_shop.access.collection, "Pivoines pas encore publiées")
    ours = photo_in(bakery.access.collection, "Notre pain")
    admin_login(client, baker)
    add = reverse("wagtailsnippets_products_product:add")

    refused = client.post(add, product_post("Pain volé", theirs))
    accepted = client.post(add, product_post("Pain maison", ours))

    assert refused.status_code == 200  # the form again, with the error
    assert not Product.objects.filter(name="Pain volé").exists()
    assert accepted.status_code == 302
    assert Product.objects.get(name="Pain maison").images.get().image == ours


def test_a_photo_already_on_a_product_stays_choosable(client, baker, bakery):
    old_photo = builders.make_image("Photo de la ville")  # the root collection
    product = builders.product(bakery, "Pain", image=old_photo)
    admin_login(client, baker)
    photo = product.images.get()
    data = product_post("Pain", old_photo)
    data.update({"images-INITIAL_FORMS": "1", "images-0-id": photo.pk})

    response = client.post(
        reverse("wagtailsnippets_products_product:edit", args=[product.pk]), data
    )

    assert response.status_code == 302


def test_the_shop_page_form_holds_its_image_fields_to_the_merchants_photos(
    baker, bakery, flower_shop
):
    theirs = photo_in(flower_shop.access.collection, "Leur vitrine")
    ours = photo_in(bakery.access.collection, "Notre vitrine")
    form_class = type(bakery).get_edit_handler().get_form_class()

    form = form_class(instance=bakery, for_user=baker, parent_page=bakery.get_parent())

    logos = form.fields["logo"].queryset
    assert ours in logos and theirs not in logos


def test_the_product_csv_export_defuses_formulas_typed_by_merchants(client, city_editor, bakery):
    import csv
    import io

    builders.product(bakery, "Pain", sku='=HYPERLINK("http://evil.example","x")')
    builders.product(bakery, "+33 cookies", sku="-12")
    admin_login(client, city_editor)

    response = client.get(reverse("wagtailsnippets_products_product:list"), {"export": "csv"})

    _header, *rows = csv.reader(io.StringIO(b"".join(response.streaming_content).decode()))
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://evil.example","x")' in cells
    assert "'+33 cookies" in cells and "'-12" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
