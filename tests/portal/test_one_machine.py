"""One machine without Redis (README, "Production topology"): the cache is a table of the
database, where each read is a query and each write a transaction that holds SQLite's
lock, so that the app's workers wait for each other. A page view must then read the page
cache's generation once and write nothing."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from merchants.models import ShopGalleryImage
from products.models import ProductImage
from tests import builders
from tests.portal.test_several_servers import production_server

ONE_MACHINE_CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_cache",
    },
    "renditions": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "renditions",
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
WRITES = ("INSERT", "UPDATE", "DELETE", "BEGIN")


def test_production_keeps_renditions_in_each_process_without_redis_and_in_redis_with_it(
    tmp_path,
):
    caches = "print(json.dumps(settings.CACHES))"

    assert production_server(tmp_path, caches) == ONE_MACHINE_CACHES
    with_redis = production_server(tmp_path, caches, REDIS_URL="redis://127.0.0.1:6379/0")
    assert list(with_redis) == ["default"]  # renditions go to Redis, shared by every server


@pytest.fixture
def one_machine(db, settings):
    settings.CACHES = ONE_MACHINE_CACHES
    call_command("createcachetable", verbosity=0)


@pytest.fixture
def town(one_machine):
    photo = builders.make_image("Vitrine")
    home = builders.home_page()
    home.hero_image = builders.make_image("Place du marché")
    home.save_revision().publish()
    bakery = builders.shop("Boulangerie Dupont")
    ShopGalleryImage.objects.create(shop=bakery, image=photo, alt_text="La vitrine")
    baguette = builders.product(bakery, "Pain au levain", image=photo)
    ProductImage.objects.create(product=baguette, image=builders.make_image("Mie"), alt_text="")
    return {
        "home": "/",
        "shop index": builders.shop_index().url,
        "shop": bakery.url,
        "product": baguette.url,
        "search": "/search/?q=pain",
    }


def second_view(client, url):
    assert client.get(url).status_code == 200  # renditions made, the search recorded
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries], response


@pytest.mark.parametrize("page", ["home", "shop index", "shop", "product", "search"])
def test_a_page_rendered_again_writes_nothing_and_reads_the_generation_once(
    client, town, page, settings
):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # rendered each time, with its kept parts

    queries, response = second_view(client, town[page])

    assert 'src="/media/' in response.content.decode() or page == "search"
    assert [sql for sql in queries if sql.lstrip().upper().startswith(WRITES)] == []
    assert sum("page-cache:generation" in sql for sql in queries) == 1
    # Kept by the process until the next purge (home.middleware.KnownSiteMiddleware).
    kept = ("wagtail_site_root_paths", '"wagtailcore_site"', '"home_portalsettings"')
    assert [sql for sql in queries if any(name in sql for name in kept)] == []


def test_a_page_served_from_the_cache_reads_the_generation_once(client, town):
    queries, response = second_view(client, town["shop"])

    assert response["X-Cache"] == "HIT"
    assert len(queries) == 1 and "page-cache:generation" in queries[0]
