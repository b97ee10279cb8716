"""What a shop says about grouped pick-up and the town's courier: how residents pay it."""

import pytest
from django.core.exceptions import ValidationError

from merchants.models import AwayPayment
from tests import builders

pytestmark = pytest.mark.django_db


def test_paying_beforehand_asks_the_shop_to_say_how():
    shop = builders.shop("Épicerie Lune", grouped_pickup=True)
    shop.grouped_pickup_payment = AwayPayment.BEFOREHAND
    with pytest.raises(ValidationError) as raised:
        shop.clean()
    assert "prepayment_instructions" in raised.value.message_dict

    shop.prepayment_instructions = "Virement BE12 3456 7890 1234, communication : la référence"
    shop.clean()
    assert shop.pays_beforehand


def test_a_mode_the_shop_does_not_offer_asks_nothing():
    shop = builders.shop(
        "Épicerie Lune", grouped_pickup=False, courier_payment=AwayPayment.BEFOREHAND
    )
    shop.clean()
    assert not shop.pays_beforehand
