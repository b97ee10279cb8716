"""What a request costs, from one function: the review page and the stored request use it."""

from decimal import Decimal

import pytest

from home.models import PortalSettings
from orders.models import Fulfilment
from orders.request_list import Cost, Line, ShopGroup, cost_of
from products.models import Availability

from .. import builders

pytestmark = pytest.mark.django_db

TOWN = PortalSettings(default_delivery_fee=Decimal("4.50"))


def group_of(shop, *lines):
    """A shop's group as the request list builds it: (product, quantity) at today's price."""
    return ShopGroup(shop, [Line(p.pk, quantity, p.price, p) for p, quantity in lines])


def test_items_add_up_in_exact_decimals(bakery):
    # 3 × 1.10 is 3.3000000000000003 in floats.
    group = group_of(
        bakery,
        (builders.product(bakery, price=Decimal("1.10")), 3),
        (builders.product(bakery, price=Decimal("0.20")), 1),
    )

    cost = cost_of(group, Fulfilment.PICKUP, TOWN)

    assert cost == Cost(items=Decimal("3.50"), fee=Decimal("0.00"))
    assert isinstance(cost.items, Decimal) and isinstance(cost.total, Decimal)
    assert str(cost.total) == "3.50"


def test_lines_that_cannot_be_sent_cost_nothing(bakery):
    sold_out = builders.product(
        bakery, price=Decimal("9.00"), availability=Availability.OUT_OF_STOCK
    )
    withdrawn = builders.product(bakery, price=Decimal("7.00"), is_active=False)
    group = group_of(
        bakery, (builders.product(bakery, price=Decimal("2.00")), 2), (sold_out, 1), (withdrawn, 1)
    )

    assert cost_of(group, Fulfilment.PICKUP, TOWN).items == Decimal("4.00")


def test_pick_up_has_no_delivery_fee_even_from_a_shop_with_its_own(bakery):
    bakery.delivery_fee = Decimal("3.00")
    group = group_of(bakery, (builders.product(bakery, price=Decimal("2.00")), 1))

    cost = cost_of(group, Fulfilment.PICKUP, TOWN)

    assert cost.fee == Decimal("0.00") and cost.total == Decimal("2.00")


def test_delivery_costs_the_shops_own_fee_rather_than_the_towns(bakery):
    bakery.delivery_fee = Decimal("3.00")
    group = group_of(bakery, (builders.product(bakery, price=Decimal("2.00")), 1))

    cost = cost_of(group, Fulfilment.DELIVERY, TOWN)

    assert cost == Cost(items=Decimal("2.00"), fee=Decimal("3.00"))
    assert cost.total == Decimal("5.00")


def test_free_delivery_from_the_shop_is_not_replaced_by_the_towns_fee(bakery):
    bakery.delivery_fee = Decimal("0.00")
    group = group_of(bakery, (builders.product(bakery, price=Decimal("2.00")), 1))

    assert cost_of(group, Fulfilment.DELIVERY, TOWN).fee == Decimal("0.00")


def test_delivery_from_a_shop_without_its_own_fee_costs_the_towns_default(bakery):
    assert bakery.delivery_fee is None
    group = group_of(bakery, (builders.product(bakery, price=Decimal("2.00")), 1))

    cost = cost_of(group, Fulfilment.DELIVERY, TOWN)

    assert cost.fee == Decimal("4.50") and cost.total == Decimal("6.50")


def test_a_cost_cannot_be_changed_after_the_fact(bakery):
    cost = Cost(items=Decimal("2.00"), fee=Decimal("0.00"))

    with pytest.raises(AttributeError):
        cost.fee = Decimal("1.00")
