from datetime import time
from decimal import Decimal

import pytest

from courier.models import Courier, DeliveryWindow
from tests import builders


def make_courier(*shops, name="Vélocité", postcodes="7000, 7011", fee="4.00", windows=()):
    courier = Courier.objects.create(
        name=name, email=f"{name.lower()}@example.org", fee=Decimal(fee), postcodes=postcodes
    )
    courier.shops.set(shops)
    for weekday, starts, ends, capacity in windows:
        DeliveryWindow.objects.create(
            courier=courier, weekday=weekday, starts=starts, ends=ends, capacity=capacity
        )
    return courier


EVERY_EVENING = [(day, time(17), time(19), 2) for day in range(7)]


@pytest.fixture
def cargo_bikes(bakery):
    """A co-operative delivering the bakery every evening, two deliveries a window."""
    bakery.courier_delivery = True
    bakery.save_revision().publish()
    return make_courier(bakery, windows=EVERY_EVENING)


@pytest.fixture
def baguette(bakery):
    return builders.product(bakery, "Baguette tradition", price="1.30", unit_label="la pièce")


@pytest.fixture
def bouquet(flower_shop):
    return builders.product(flower_shop, "Bouquet de saison", price="25.00")


def courier_request(shop, courier, slot_start, name="Marie Dubois", *, postcode="7000", **fields):
    """A request the courier delivers in the window starting at `slot_start` (aware)."""
    from datetime import timedelta

    from courier.models import Stop

    fields.setdefault("street_address", f"{len(name)} rue Haute")
    request = builders.order_request(
        shop,
        name,
        fulfilment="courier",
        postcode=postcode,
        town="Valbourg",
        delivery_fee="4.00",
        **fields,
    )
    Stop.objects.create(
        request=request,
        courier=courier,
        window=courier.windows.first(),
        starts_at=slot_start,
        ends_at=slot_start + timedelta(hours=2),
        notes=f"Sonner chez {name}",
    )
    return request


@pytest.fixture
def rider(db, django_user_model, cargo_bikes):
    """A member of the cargo-bike co-operative."""
    user = django_user_model.objects.create_user(
        username="velo", email="velo@example.org", password="secret"
    )
    cargo_bikes.members.add(user)
    return user
