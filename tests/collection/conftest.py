import re
from datetime import time, timedelta

import pytest
from django.utils import timezone

from collection.models import CollectionPoint
from merchants.models import AwayPayment
from tests import builders

LIST_ADD = "/ma-demande/ajouter/"
DETAILS = "/ma-demande/coordonnees/"
REVIEW = "/ma-demande/verifier/"


def town_hall(**fields):
    """The town hall's reception: Monday to Saturday, 9:00 to 19:00."""
    point = CollectionPoint.objects.create(
        **{
            "name": "Accueil de l'hôtel de ville",
            "street_address": "1 Grand-Place",
            "postcode": "7000",
            "town": "Valbourg",
            "instructions": "Au guichet 2.",
            "capacity_per_day": 20,
            **fields,
        }
    )
    for weekday in range(6):
        point.opening_hours.create(weekday=weekday, opens=time(9), closes=time(19))
    point.save()  # a point's inline rows are kept with it (modelcluster)
    return point


def next_weekday(weekday, after=None, at_least=2):
    """The first `weekday` at least `at_least` days after `after` (today)."""
    day = (after or timezone.localdate()) + timedelta(days=at_least)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def add(client, product, quantity=1):
    return client.post(LIST_ADD, {"product": product.pk, "quantity": quantity})


def details(shops, point=None, day=None, **overrides):
    data = {
        "name": "Marie Dubois",
        "email": "marie@example.org",
        "phone": "0470 12 34 56",
        "consent": "on",
    }
    for shop in shops:
        data[f"shop_{shop.pk}_fulfilment"] = "collection"
    if point is not None:
        data["collection_point"] = str(point.pk)
    if day is not None:
        data["collection_day"] = day.isoformat()
    data.update(overrides)
    return data


def send(client, capture):
    page = client.get(REVIEW)
    assert page.status_code == 200, page
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.content.decode())[1]
    with capture(execute=True):
        return client.post(REVIEW, {"idempotency_key": key})


@pytest.fixture
def point(db):
    return town_hall()


@pytest.fixture
def grouped_shops(db):
    """A baker and a florist paid at the point, a cheesemonger paid beforehand."""
    baker = builders.shop("Boulangerie Dupont", grouped_pickup=True)
    florist = builders.shop("Fleurs de Lys", grouped_pickup=True)
    cheese = builders.shop(
        "Fromagerie Leroy",
        grouped_pickup=True,
        grouped_pickup_payment=AwayPayment.BEFOREHAND,
        prepayment_instructions="Virement BE71 0961 2345 6769",
    )
    return baker, florist, cheese


@pytest.fixture
def basket(client, grouped_shops):
    """The three shops' products in the resident's request list."""
    baker, florist, cheese = grouped_shops
    add(client, builders.product(baker, "Baguette", price="1.30"), 2)
    add(client, builders.product(florist, "Bouquet", price="25.00"))
    add(client, builders.product(cheese, "Comté", price="8.40"))
    return client
