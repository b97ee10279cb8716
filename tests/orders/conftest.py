import pytest

from tests import builders


@pytest.fixture
def baguette(bakery):
    return builders.product(bakery, "Baguette tradition", price="1.30", unit_label="la pièce")


@pytest.fixture
def croissant(bakery):
    return builders.product(bakery, "Croissant", price="1.20")


@pytest.fixture
def bouquet(flower_shop):
    return builders.product(flower_shop, "Bouquet de saison", price="25.00")
