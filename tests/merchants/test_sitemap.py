"""sitemap.xml lists the shops and their products' pages, at a fixed cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .. import builders

pytestmark = pytest.mark.django_db


def sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    return response.content.decode()


def test_product_pages_are_in_the_sitemap(client, bakery):
    bread = builders.product(bakery, "Pain de seigle")
    hidden = builders.product(bakery, "Pain caché", is_active=False)

    xml = sitemap(client)

    assert f"{bakery.url}</loc>" in xml
    assert f"{bread.url}</loc>" in xml
    assert hidden.slug not in xml


def test_products_of_an_unpublished_shop_stay_out(client, bakery):
    draft_shop = builders.shop("Commerce en préparation", publish=False)
    secret = builders.product(draft_shop, "Produit pas encore annoncé")

    xml = sitemap(client)

    assert secret.slug not in xml
    assert draft_shop.slug not in xml


def test_the_sitemap_costs_the_same_queries_for_two_or_six_shops(client, bakery, flower_shop):
    builders.product(bakery, "Pain")
    builders.product(flower_shop, "Bouquet")
    sitemap(client)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            sitemap(client)
        return len(captured)

    two_shops = queries()
    for n in range(4):
        shop = builders.shop(f"Commerce n°{n}")
        builders.product(shop, f"Produit n°{n}")
    assert queries() == two_shops


def test_robots_txt_points_to_the_sitemap_and_keeps_private_paths_out(client, home):
    response = client.get("/robots.txt", HTTP_HOST="www.example.org")

    text = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    # The site's recorded address, not the Host header's.
    assert "Sitemap: http://localhost/sitemap.xml" in text
    for path in ("/admin/", "/ma-demande/", "/search/"):
        assert f"Disallow: {path}" in text
    assert "Disallow: /\n" not in text  # shops and products stay open to search engines
