"""The open data API: shops and products, read-only, public fields only.

The field lists are asserted exactly: a field added to a model's api_fields must be added
here on purpose, after asking whether it is public. The order e-mail is the test's marker
of what is private: it must not appear anywhere in any answer.
"""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orders.models import OrderRequest

from .. import builders

pytestmark = pytest.mark.django_db

SHOPS = "/api/v2/shops/"
PRODUCTS = "/api/v2/products/"
ORDER_EMAIL = "commandes@boulangerie-dupont.example"  # the bakery's, in conftest.py

SHOP_META = {"type", "detail_url", "html_url", "slug", "first_published_at"}
SHOP_LISTING_FIELDS = {
    "id",
    "meta",
    "title",
    "tagline",
    "categories",
    "neighbourhood",
    "postcode",
    "latitude",
    "longitude",
}
SHOP_DETAIL_FIELDS = SHOP_LISTING_FIELDS | {
    "logo",
    "street_address",
    "town",
    "phone",
    "public_email",
    "website",
    "facebook_url",
    "instagram_url",
    "offers_pickup",
    "pickup_instructions",
    "offers_delivery",
    "delivery_fee",
    "delivery_postcodes",
    "requests_paused_until",
    "pause_reason",
    "opening_hours",
    "closures",
}
PRODUCT_META = {"type", "detail_url", "html_url"}
PRODUCT_LISTING_FIELDS = {"id", "meta", "shop", "name", "price", "availability"}
PRODUCT_DETAIL_FIELDS = PRODUCT_LISTING_FIELDS | {
    "slug",
    "category",
    "former_price",
    "unit_label",
    "short_description",
    "description",
    "image",
    "updated_at",
}
PRIVATE = {"order_email", "memberships", "access", "order_requests", "owner", "sku"}


def get_json(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response.json()


@pytest.fixture
def baguette(bakery):
    return builders.product(
        bakery,
        "Baguette",
        category=builders.product_category("Pains"),
        image=builders.make_image("Baguette"),
        sku="BAG-1",
    )


@pytest.fixture
def with_request(bakery):
    # The bakery has had a request: nothing of it may show either.
    return builders.order_request(bakery, "Marie Dubois", email="marie@example.org")


# Fields: exactly the public ones


def test_a_shop_in_the_listing_has_exactly_these_fields(client, bakery):
    item = get_json(client, SHOPS)["items"][0]

    assert set(item) == SHOP_LISTING_FIELDS
    assert set(item["meta"]) == SHOP_META


def test_a_shops_detail_has_exactly_the_public_fields(client, bakery):
    shop = get_json(client, f"{SHOPS}{bakery.pk}/")

    assert set(shop) == SHOP_DETAIL_FIELDS
    assert set(shop["meta"]) == SHOP_META
    assert not PRIVATE & set(shop)
    assert shop["title"] == "Boulangerie Dupont"
    assert shop["meta"]["html_url"] == bakery.full_url
    assert shop["categories"] == ["Boulangerie"]
    assert shop["delivery_postcodes"] == ["7000", "7011"]
    assert shop["delivery_fee"] == "5.00"  # the town's default: the bakery sets none
    assert {"weekday": 0, "opens": "09:00:00", "closes": "12:30:00"}.items() <= shop[
        "opening_hours"
    ][0].items()


def test_a_product_has_exactly_the_public_fields(client, baguette):
    listed = get_json(client, PRODUCTS)["items"][0]
    product = get_json(client, f"{PRODUCTS}{baguette.pk}/")

    assert set(listed) == PRODUCT_LISTING_FIELDS
    assert set(product) == PRODUCT_DETAIL_FIELDS
    assert set(product["meta"]) == PRODUCT_META
    assert not PRIVATE & set(product)
    assert product["meta"]["html_url"].endswith(baguette.url)
    assert product["shop"]["id"] == baguette.shop_id
    assert product["category"] == "Pains"
    assert product["price"] == "3.50"
    assert product["image"]["alt"] == "Photo de Baguette"


@pytest.mark.parametrize(
    "url",
    [
        SHOPS,
        f"{SHOPS}?fields=*",
        "{shops}{bakery}/",
        "{shops}find/?html_path=/commerces/boulangerie-dupont/",
        PRODUCTS,
        f"{PRODUCTS}?fields=*,shop(*)",
        "{products}{baguette}/?fields=*,shop(*)",
    ],
)
def test_the_order_email_appears_in_no_answer(client, bakery, baguette, with_request, url):
    url = url.format(shops=SHOPS, products=PRODUCTS, bakery=bakery.pk, baguette=baguette.pk)

    response = client.get(url, follow=True)

    assert response.status_code == 200
    body = response.content.decode()
    assert ORDER_EMAIL not in body
    assert "marie@example.org" not in body and "Marie Dubois" not in body
    assert "BAG-1" not in body  # the merchant's own reference
    # And it is there to be leaked: the test would notice.
    assert bakery.order_email == ORDER_EMAIL and OrderRequest.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        f"{SHOPS}?fields=order_email",
        f"{SHOPS}?order_email={ORDER_EMAIL}",
        f"{SHOPS}?order=order_email",
        f"{PRODUCTS}?fields=shop(order_email)",
        f"{PRODUCTS}?sku=BAG-1",
    ],
)
def test_private_fields_cannot_be_asked_for_filtered_or_ordered_by(client, baguette, url):
    # A filter on the e-mail would tell its value away, one guess at a time.
    response = client.get(url)

    assert response.status_code == 400


def test_an_invalid_filter_value_is_a_bad_request_not_an_error(client, bakery):
    assert client.get(f"{SHOPS}?latitude=north").status_code == 400


def test_shops_are_filtered_by_their_fields(client, bakery, flower_shop):
    items = get_json(client, f"{SHOPS}?offers_delivery=true")["items"]

    assert [item["title"] for item in items] == ["Boulangerie Dupont"]


@pytest.mark.dated
def test_only_the_coming_closures_are_listed(client, bakery):
    today = timezone.localdate()
    builders.closure(bakery, today - timedelta(days=30), today - timedelta(days=25), "Passé")
    builders.closure(bakery, today + timedelta(days=3), today + timedelta(days=5), "Congés")

    shop = get_json(client, f"{SHOPS}{bakery.pk}/")

    assert [closure["reason"] for closure in shop["closures"]] == ["Congés"]


# What residents may not see, the API does not list either


def test_an_unpublished_shop_and_its_products_are_not_listed(client, bakery, flower_shop):
    rose = builders.product(flower_shop, "Rose")
    flower_shop.unpublish()

    shops = get_json(client, SHOPS)
    products = get_json(client, PRODUCTS)

    assert [item["id"] for item in shops["items"]] == [bakery.pk]
    assert products["meta"]["total_count"] == 0
    assert client.get(f"{SHOPS}{flower_shop.pk}/").status_code == 404
    assert client.get(f"{PRODUCTS}{rose.pk}/").status_code == 404


def test_a_hidden_product_is_not_listed(client, bakery, baguette):
    hidden = builders.product(bakery, "Pain d'hier", is_active=False)

    products = get_json(client, PRODUCTS)

    assert [item["id"] for item in products["items"]] == [baguette.pk]
    assert client.get(f"{PRODUCTS}{hidden.pk}/").status_code == 404


def test_the_shops_endpoint_lists_no_other_page(client, bakery):
    assert client.get(f"{SHOPS}?type=home.HomePage").status_code == 400
    home = builders.home_page()
    assert client.get(f"{SHOPS}{home.pk}/").status_code == 404


# Read-only, and bounded


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", [SHOPS, "{shops}{bakery}/", PRODUCTS, "{products}{baguette}/"])
def test_writing_is_refused(client, bakery, baguette, method, url):
    url = url.format(shops=SHOPS, products=PRODUCTS, bakery=bakery.pk, baguette=baguette.pk)

    response = getattr(client, method)(
        url, data=json.dumps({"title": "Piraté"}), content_type="application/json"
    )

    assert response.status_code == 405
    bakery.refresh_from_db()
    assert bakery.title == "Boulangerie Dupont"


def test_a_page_holds_at_most_fifty_items(client, bakery):
    assert client.get(f"{SHOPS}?limit=50").status_code == 200
    assert client.get(f"{SHOPS}?limit=51").status_code == 400


# The cost does not grow with the number of items


def populate(count):
    image = builders.make_image("Vitrine")
    category = builders.product_category("Pains")
    for number in range(count):
        shop = builders.shop(
            f"Commerce {number:03d}",
            categories=[builders.category("Boulangerie")],
            neighbourhood=builders.neighbourhood("Centre"),
            logo=image,
        )
        builders.closure(
            shop, timezone.localdate(), timezone.localdate() + timedelta(days=2), "Congés"
        )
        builders.product(shop, category=category, image=image)


def count_queries(client, url):
    assert client.get(url).status_code == 200  # warm-up: renditions, site root paths
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [f"{SHOPS}?fields=*", f"{PRODUCTS}?fields=*,shop(*)"])
def test_a_listing_costs_the_same_queries_for_three_or_fifteen_items(client, url):
    populate(3)
    few = count_queries(client, url)

    populate(12)
    many = count_queries(client, url)

    assert len(get_json(client, url)["items"]) == 15
    assert many == few


def test_products_are_filtered_by_shop_and_ordered_by_price(client, bakery, flower_shop):
    builders.product(bakery, "Baguette", price="1.30")
    builders.product(bakery, "Cramique", price="6.00")
    builders.product(flower_shop, "Rose", price="2.50")

    items = get_json(client, f"{PRODUCTS}?shop={bakery.pk}&order=-price")["items"]

    assert [item["name"] for item in items] == ["Cramique", "Baguette"]


def test_a_shop_is_found_by_its_page_address(client, bakery):
    response = client.get(f"{SHOPS}find/?html_path=/commerces/boulangerie-dupont/")

    assert response.status_code == 302
    assert f"{SHOPS}{bakery.pk}/" in response["Location"]


@pytest.mark.parametrize(
    "url, answers",
    [
        (f"{SHOPS}find/?id=abc", {404}),
        (f"{PRODUCTS}find/?id=abc", {404}),
        (f"{PRODUCTS}find/?id=99999999999999999999", {404}),
        # SQLite cannot hold the number (400); PostgreSQL looks for it and finds nothing.
        (f"{SHOPS}99999999999999999999/", {400, 404}),
        (f"{PRODUCTS}?shop=99999999999999999999", {400, 200}),
        (f"{PRODUCTS}?offset=99999999999999999999", {400}),
    ],
)
def test_an_id_or_a_number_out_of_range_never_answers_500(client, bakery, url, answers):
    builders.product(bakery, "Baguette")

    response = client.get(url)

    assert response.status_code in answers
    body = response.json()
    assert body.get("items", []) == [] if response.status_code == 200 else "message" in body
