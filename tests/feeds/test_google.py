"""Google Merchant Center's product data and local inventory data, as Google's specification
writes each attribute."""

from decimal import Decimal

import pytest
from django.urls import reverse

from feeds import content
from products.models import Availability, ProductImage

from .. import builders
from .conftest import PRICE, canonical_link, rss_items

pytestmark = pytest.mark.django_db

REQUIRED = ("id", "title", "description", "link", "image_link", "availability", "price")
# The values each feed documents, and nothing else.
PRODUCT_VALUES = {"in_stock", "out_of_stock", "preorder", "backorder"}
LOCAL_VALUES = {"in_stock", "limited_availability", "on_display_to_order", "out_of_stock"}
META_VALUES = {"in stock", "out of stock", "available for order"}


def town_feed(client, kind="google"):
    return client.get(reverse(f"feeds:town:{kind}"))


def shop_feed(client, shop_page, kind="google"):
    return client.get(reverse(f"feeds:shop:{kind}", kwargs={"shop_id": shop_page.pk}))


def only_item(response):
    [item] = rss_items(response)
    return {name: values[0] if len(values) == 1 else values for name, values in item.items()}


def test_the_product_feed_gives_every_required_attribute_in_googles_format(client, bakery, photo):
    bread = builders.product(
        bakery, "Baguette", image=photo, description="<p>Croustillante, <b>bien cuite</b>.</p>"
    )

    response = shop_feed(client, bakery)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    item = only_item(response)
    assert all(item.get(name) for name in REQUIRED)
    assert item["id"] == str(bread.pk)
    assert item["title"] == "Baguette"
    assert item["description"] == "Croustillante, bien cuite."
    assert item["availability"] == "in_stock"
    assert PRICE.match(item["price"]) and item["price"] == "3.50 EUR"
    assert "sale_price" not in item
    assert item["condition"] == "new"
    assert item["image_link"].startswith("http://") and item["image_link"].endswith(".jpg")


def test_each_product_link_is_the_canonical_address_of_its_page(client, bakery, photo):
    builders.product(bakery, "Pain d'épeautre", image=photo)

    item = only_item(shop_feed(client, bakery))

    assert item["link"] == canonical_link(client, item["link"])


def test_the_photo_is_a_jpeg_of_the_whole_photo_and_the_others_follow(client, bakery, photo):
    bread = builders.product(bakery, "Baguette", image=photo)
    for number in range(12):
        ProductImage.objects.create(product=bread, image=builders.make_image(f"Autre {number}"))

    item = only_item(shop_feed(client, bakery))

    rendition = photo.get_rendition(content.IMAGE_SPEC)
    assert (rendition.width, rendition.height) == (900, 700)  # not cropped, not enlarged
    assert item["image_link"].endswith(rendition.url)
    assert len(item["additional_image_link"]) == content.ADDITIONAL_IMAGES


def test_a_product_on_promotion_gives_its_former_price_and_its_sale_price(client, bakery, photo):
    builders.product(
        bakery, "Galette", image=photo, price=Decimal("12.5"), former_price=Decimal("15")
    )

    item = only_item(shop_feed(client, bakery))

    assert (item["price"], item["sale_price"]) == ("15.00 EUR", "12.50 EUR")


@pytest.mark.parametrize(
    "fields,expected",
    [
        # A brand and a barcode: identified.
        (
            {"brand": "Valrhona", "gtin": "3395328411013"},
            {"brand": "Valrhona", "gtin": "3395328411013"},
        ),
        # A brand and a part number: identified.
        ({"brand": "Opinel", "mpn": "N°08"}, {"brand": "Opinel", "mpn": "N°08"}),
        # What the shop makes: its name is the brand, and there is no identifier.
        ({"made_by_shop": True}, {"brand": "Boulangerie Dupont", "identifier_exists": "no"}),
        # Nothing known: no brand, and no identifier.
        ({}, {"identifier_exists": "no"}),
    ],
)
def test_brand_and_identifiers(client, bakery, photo, fields, expected):
    builders.product(bakery, "Produit", image=photo, **fields)

    item = only_item(shop_feed(client, bakery))

    names = ("brand", "gtin", "mpn", "identifier_exists")
    assert {name: item[name] for name in names if name in item} == expected


@pytest.mark.parametrize("availability", Availability.values)
def test_each_availability_has_a_documented_value_in_each_feed(availability):
    assert content.PRODUCT_AVAILABILITY[availability] in PRODUCT_VALUES
    assert content.LOCAL_AVAILABILITY[availability] in LOCAL_VALUES
    assert content.META_AVAILABILITY[availability] in META_VALUES


def test_the_availability_mappings():
    assert content.PRODUCT_AVAILABILITY == {
        "in_stock": "in_stock",
        "limited": "in_stock",
        "on_order": "backorder",
        "out_of_stock": "out_of_stock",
    }
    assert content.LOCAL_AVAILABILITY == {
        "in_stock": "in_stock",
        "limited": "limited_availability",
        "on_order": "on_display_to_order",
        "out_of_stock": "out_of_stock",
    }
    assert content.META_AVAILABILITY == {
        "in_stock": "in stock",
        "limited": "in stock",
        "on_order": "available for order",
        "out_of_stock": "out of stock",
    }


@pytest.mark.parametrize("availability", Availability.values)
def test_each_feed_writes_the_availability_it_maps(client, bakery, photo, availability):
    bakery.store_code = "VALB-01"
    bakery.save_revision().publish()
    builders.product(bakery, "Baguette", image=photo, availability=availability)

    product = only_item(shop_feed(client, bakery))
    local = only_item(shop_feed(client, bakery, "local"))

    assert product["availability"] == content.PRODUCT_AVAILABILITY[availability]
    assert local["availability"] == content.LOCAL_AVAILABILITY[availability]


@pytest.mark.dated
def test_a_product_on_order_says_when_it_can_be_had(client, bakery, photo, moment):
    from datetime import datetime, timedelta

    from django.utils import timezone

    builders.product(bakery, "Pièce montée", image=photo, availability=Availability.ON_ORDER)

    item = only_item(shop_feed(client, bakery))

    assert item["availability"] == "backorder"
    day = datetime.strptime(item["availability_date"], "%Y-%m-%dT%H:%M%z")
    expected = timezone.localdate(moment) + timedelta(days=content.ON_ORDER_DAYS)
    assert day.date() == expected


def test_special_characters_are_escaped_and_control_characters_removed(client, bakery, photo):
    builders.product(
        bakery,
        'Pain & "beurre" <salé> 🥐\x01',
        image=photo,
        description="<p>Tranché\x0b, l'été &amp; l'hiver</p>",
    )

    item = only_item(shop_feed(client, bakery))  # an XML parser reads it

    assert item["title"] == 'Pain & "beurre" <salé> 🥐'
    assert item["description"] == "Tranché, l'été & l'hiver"


def test_the_local_inventory_feed_names_the_shop_by_its_store_code(client, bakery, photo):
    bakery.store_code = "VALB-01"
    bakery.save_revision().publish()
    bread = builders.product(bakery, "Baguette", image=photo, former_price=Decimal("4"))
    builders.product(bakery, "Pain d'hier", image=photo, availability=Availability.OUT_OF_STOCK)

    response = shop_feed(client, bakery, "local")

    assert response["Content-Type"] == "application/xml; charset=utf-8"
    items = {item["id"][0]: item for item in rss_items(response)}
    assert items[str(bread.pk)] == {
        "store_code": ["VALB-01"],
        "id": [str(bread.pk)],
        "availability": ["in_stock"],
        "price": ["4.00 EUR"],
        "sale_price": ["3.50 EUR"],
        "pickup_method": ["reserve"],
        "pickup_sla": ["next day"],
    }
    gone = next(item for key, item in items.items() if key != str(bread.pk))
    assert gone["availability"] == ["out_of_stock"] and "pickup_method" not in gone


def test_a_shop_without_pickup_says_so(client, bakery, photo):
    bakery.store_code = "VALB-01"
    bakery.offers_pickup = False
    bakery.save_revision().publish()
    builders.product(bakery, "Baguette", image=photo)

    item = only_item(shop_feed(client, bakery, "local"))

    assert item["pickup_method"] == "not supported" and "pickup_sla" not in item


def test_a_shop_without_store_code_has_no_local_inventory_feed(client, bakery, flower_shop, photo):
    flower_shop.store_code = "FLEURS-1"
    flower_shop.save_revision().publish()
    builders.product(bakery, "Baguette", image=photo)
    roses = builders.product(flower_shop, "Roses", image=photo)

    assert shop_feed(client, bakery, "local").status_code == 404
    # The town's feed skips it.
    assert [item["id"] for item in rss_items(town_feed(client, "local"))] == [[str(roses.pk)]]


def test_ids_are_unique_across_the_town_and_stable(client, bakery, flower_shop, photo):
    for shop_page in (bakery, flower_shop):
        for name in ("Bouquet", "Baguette"):
            builders.product(shop_page, name, image=photo)

    first = [item["id"][0] for item in rss_items(town_feed(client))]
    second = [item["id"][0] for item in rss_items(town_feed(client))]

    assert len(set(first)) == 4 and first == second
