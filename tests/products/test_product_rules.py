"""Product rules (products/models.py) and the shop's delivery rules (merchants/models.py)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from home.models import PortalSettings
from merchants.models import validate_postcodes
from products.models import Availability, Product
from tests import builders

pytestmark = pytest.mark.django_db


def errors_of(callable_):
    with pytest.raises(ValidationError) as caught:
        callable_()
    return caught.value.message_dict


# Slugs and references -------------------------------------------------------------------


def test_slug_comes_from_the_name(bakery):
    assert builders.product(bakery, "Pain de campagne").slug == "pain-de-campagne"


def test_second_product_with_the_same_name_gets_a_numbered_slug(bakery):
    first = builders.product(bakery, "Pain")
    second = builders.product(bakery, "Pain")
    third = builders.product(bakery, "Pain")

    assert [first.slug, second.slug, third.slug] == ["pain", "pain-2", "pain-3"]


def test_two_shops_may_use_the_same_slug(bakery, flower_shop):
    assert builders.product(bakery, "Pain").slug == builders.product(flower_shop, "Pain").slug


def test_slug_already_taken_in_the_shop_is_refused_by_full_clean(bakery):
    builders.product(bakery, "Pain")
    clash = Product(shop=bakery, name="Autre pain", slug="pain", price=Decimal("2.00"))

    assert "slug" in errors_of(clash.full_clean)


def test_sku_already_used_in_the_shop_is_refused_by_full_clean(bakery):
    builders.product(bakery, "Pain", sku="P-001")
    clash = Product(shop=bakery, name="Baguette", sku="P-001", price=Decimal("1.20"))

    assert "sku" in errors_of(clash.full_clean)


def test_sku_already_used_in_the_shop_is_refused_by_the_database(bakery):
    builders.product(bakery, "Pain", sku="P-001")

    with pytest.raises(IntegrityError), transaction.atomic():
        builders.product(bakery, "Baguette", sku="P-001")


def test_same_sku_is_allowed_in_two_shops(bakery, flower_shop):
    builders.product(bakery, "Pain", sku="P-001")
    other = Product(shop=flower_shop, name="Pivoine", sku="P-001", price=Decimal("4.00"))

    other.full_clean()
    other.save()

    assert Product.objects.filter(sku="P-001").count() == 2


def test_empty_sku_is_allowed_several_times_in_a_shop(bakery):
    builders.product(bakery, "Pain", sku="")
    builders.product(bakery, "Baguette", sku="")
    third = Product(shop=bakery, name="Croissant", sku="", price=Decimal("1.10"))

    third.full_clean()
    third.save()

    assert bakery.products.filter(sku="").count() == 3


def test_editing_a_product_does_not_clash_with_its_own_sku(bakery):
    bread = builders.product(bakery, "Pain", sku="P-001")
    bread.price = Decimal("2.80")

    bread.full_clean()  # must not count the product itself as a clash


# Prices --------------------------------------------------------------------------------


@pytest.mark.parametrize("former_price", ["3.50", "2.00"])
def test_former_price_must_be_higher_than_the_price(bakery, former_price):
    item = Product(
        shop=bakery, name="Pain", price=Decimal("3.50"), former_price=Decimal(former_price)
    )

    assert "former_price" in errors_of(item.full_clean)


def test_former_price_higher_than_the_price_is_accepted(bakery):
    Product(
        shop=bakery, name="Pain", price=Decimal("3.00"), former_price=Decimal("3.50")
    ).full_clean()


def test_negative_price_is_refused_by_full_clean(bakery):
    item = Product(shop=bakery, name="Pain", price=Decimal("-0.01"))

    assert "price" in errors_of(item.full_clean)


def test_negative_price_is_refused_by_the_database(bakery):
    with pytest.raises(IntegrityError), transaction.atomic():
        builders.product(bakery, "Pain", price=Decimal("-1.00"))


def test_product_is_on_promotion_only_with_a_higher_former_price(bakery):
    promoted = builders.product(bakery, price=Decimal("3.00"), former_price=Decimal("3.50"))
    plain = builders.product(bakery, price=Decimal("3.00"))

    assert promoted.is_on_promotion
    assert not plain.is_on_promotion


@pytest.mark.parametrize(
    ("is_active", "availability", "available"),
    [
        (True, Availability.IN_STOCK, True),
        (True, Availability.LIMITED, True),
        (True, Availability.ON_ORDER, True),
        (True, Availability.OUT_OF_STOCK, False),
        (False, Availability.IN_STOCK, False),
    ],
)
def test_product_is_available_when_shown_and_not_out_of_stock(
    bakery, is_active, availability, available
):
    item = builders.product(bakery, is_active=is_active, availability=availability)

    assert item.is_available is available


# Visibility and address ------------------------------------------------------------------


def test_visible_products_hide_inactive_products_and_unpublished_shops(bakery):
    shown = builders.product(bakery, "Pain")
    builders.product(bakery, "Ancien pain", is_active=False)
    draft_shop = builders.shop("Nouveau commerce", publish=False)
    builders.product(draft_shop, "Pain du brouillon")

    assert not draft_shop.live  # guards the test: the builder did unpublish the shop
    assert list(Product.objects.visible()) == [shown]


def test_product_url_is_the_shop_url_followed_by_the_slug(bakery):
    item = builders.product(bakery, "Pain au levain")

    assert bakery.get_url().endswith("/boulangerie-dupont/")
    assert item.get_url() == f"{bakery.get_url()}pain-au-levain/"


# Shop delivery rules ---------------------------------------------------------------------


def test_bakery_delivers_to_its_postcodes_only(bakery):
    assert bakery.delivers_to("7000")
    assert bakery.delivers_to(" 7011 ")
    assert not bakery.delivers_to("7020")


def test_shop_without_delivery_delivers_nowhere_even_with_postcodes(bakery):
    bakery.offers_delivery = False

    assert bakery.delivery_postcodes  # the list is still there…
    assert not bakery.delivers_to("7000")  # …but delivery is switched off


def test_shops_own_delivery_fee_wins_over_the_default(bakery):
    bakery.delivery_fee = Decimal("3.00")

    assert bakery.effective_delivery_fee() == Decimal("3.00")


def test_free_delivery_is_not_replaced_by_the_default_fee(bakery):
    bakery.delivery_fee = Decimal("0.00")

    assert bakery.effective_delivery_fee() == Decimal("0.00")


def test_delivery_fee_falls_back_to_the_given_portal_settings(bakery):
    portal_settings = PortalSettings(default_delivery_fee=Decimal("4.50"))

    assert bakery.delivery_fee is None
    assert bakery.effective_delivery_fee(portal_settings) == Decimal("4.50")


def test_delivery_fee_falls_back_to_the_portal_default_of_five_euros(bakery):
    assert bakery.delivery_fee is None
    assert bakery.effective_delivery_fee() == Decimal("5.00")


def test_offering_delivery_requires_postcodes(bakery):
    bakery.delivery_postcodes = " , "

    assert "delivery_postcodes" in errors_of(bakery.clean)


def test_shop_without_delivery_needs_no_postcodes(flower_shop):
    assert not flower_shop.offers_delivery
    flower_shop.delivery_postcodes = ""

    flower_shop.clean()


def test_validate_postcodes_names_the_bad_values():
    with pytest.raises(ValidationError) as caught:
        validate_postcodes("7000, 70, hello!, 7011")

    message = caught.value.messages[0]
    assert "70," in message
    assert "hello!" in message
    assert "7000" not in message
    assert "7011" not in message


@pytest.mark.parametrize("text", ["7000, 7011", "7000;7011 7020", "59000", ""])
def test_validate_postcodes_accepts_lists_of_postcodes(text):
    validate_postcodes(text)


def test_a_price_from_the_lowest_of_several_says_so_on_the_page_and_the_card(client, bakery):
    # A product with variants at its source (catalogue/) is one product priced "from".
    honey = builders.product(bakery, "Miel", price=Decimal("7.50"), from_price=True)
    bread = builders.product(bakery, "Pain", price=Decimal("3.00"))

    product_page = client.get(honey.url).content.decode()
    shop_page = client.get(bakery.url).content.decode()

    assert 'à partir de</span> <span class="price__amount">7,50' in product_page
    assert shop_page.count("à partir de</span>") == 1
    assert "à partir de" not in client.get(bread.url).content.decode()
