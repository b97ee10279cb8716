"""The demo's catalogue sources: served over HTTP by demo/catalogue_server.py, synced by
seed_demo, so that a fresh `make run` shows two shops with a real run."""

from decimal import Decimal

import pytest

from catalogue.models import RunStatus
from demo import catalogue_server
from demo.sources import seed_sources
from products.models import Product

from .. import builders


@pytest.fixture
def demo_catalogues():
    server = catalogue_server.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()


def test_the_two_demo_shops_get_their_catalogue_from_the_demo_server(db, demo_catalogues):
    grocer = builders.shop("Saveurs d'ici")
    florist = builders.shop("La Rose des Tanneurs")

    runs = seed_sources(demo_catalogues)

    assert [(run.source.shop, run.status) for run in runs] == [
        (grocer, RunStatus.SUCCESS),
        (florist, RunStatus.SUCCESS),
    ]
    assert grocer.products.count() == 8 and florist.products.count() == 5
    honey = grocer.products.get(name="Miel de fleurs de Valbourg")
    assert (honey.price, honey.from_price, honey.images.count()) == (Decimal("7.50"), True, 1)
    orchid = florist.products.get(name="Orchidée Phalaenopsis blanche")
    assert (orchid.price, orchid.former_price) == (Decimal("24.90"), Decimal("29.90"))
    assert orchid.short_description == "Deux hampes, pot en céramique."
    assert runs[0].images == 7 and runs[1].images == 5

    # Seeding again adds no source and runs nothing.
    assert seed_sources(demo_catalogues) == []
    assert Product.objects.filter(source__isnull=False).count() == 13
