"""The Wagtail admin opens every editing form the city uses, and keeps merchants out of
what is not theirs (the full merchant admin arrives with its own issue)."""

import pytest
from django.urls import reverse

from . import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "secret")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "app_label, model, parent",
    [
        ("home", "standardpage", "home"),
        ("home", "campaignpage", "home"),
        ("merchants", "merchantpage", "index"),
    ],
)
def test_city_can_open_the_form_to_add_each_page_type(admin_client, app_label, model, parent):
    parent_page = builders.home_page() if parent == "home" else builders.shop_index()
    url = reverse("wagtailadmin_pages:add", args=[app_label, model, parent_page.pk])
    assert admin_client.get(url).status_code == 200


def test_city_can_edit_a_shop_page_with_all_its_tabs(admin_client, bakery):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[bakery.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for field in ("order_email", "delivery_postcodes", "opening_hours", "closures"):
        assert field in page


@pytest.mark.parametrize(
    "url_name",
    [
        "wagtailsnippets_products_product:list",
        "wagtailsnippets_products_product:add",
        "wagtailsnippets_products_productcategory:list",
        "wagtailsnippets_merchants_shopcategory:list",
        "wagtailsnippets_merchants_neighbourhood:list",
        "wagtailsnippets_merchants_shopmembership:list",
    ],
)
def test_city_editor_manages_the_catalogue_snippets(client, city_editor, url_name):
    client.force_login(city_editor)
    assert client.get(reverse(url_name)).status_code == 200


def test_city_editor_opens_the_portal_settings(client, city_editor):
    client.force_login(city_editor)
    site = builders.home_page().get_site()
    url = reverse("wagtailsettings:edit", args=["home", "portalsettings", site.pk])
    assert client.get(url).status_code == 200


def test_saving_a_product_with_bad_input_keeps_what_was_typed(admin_client, bakery):
    url = reverse("wagtailsnippets_products_product:add")
    response = admin_client.post(
        url,
        {
            "shop": bakery.pk,
            "name": "Tarte aux pommes",
            "price": "-3",
            "availability": "in_stock",
            "is_active": "on",
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
            "images-MIN_NUM_FORMS": "0",
            "images-MAX_NUM_FORMS": "1000",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200  # the form again, not a redirect and not a 500
    assert 'value="Tarte aux pommes"' in page
    assert bakery.products.count() == 0


@pytest.mark.parametrize(
    "url_name",
    [
        "wagtailsnippets_merchants_shopmembership:list",
        "wagtailsnippets_merchants_shopcategory:list",
        "wagtailsnippets_products_productcategory:list",
        "wagtailusers_users:index",
        "wagtailusers_groups:index",
        "wagtailsites:index",
        "wagtailadmin_workflows:index",
        "wagtailadmin_collections:index",
        "wagtaildocs:index",
        "orders_residents_data",
    ],
)
def test_merchant_has_no_access_to_city_only_admin_areas(client, baker, flower_shop, url_name):
    client.force_login(baker)
    response = client.get(reverse(url_name))
    # Wagtail sends a user without the permission back to the dashboard.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
