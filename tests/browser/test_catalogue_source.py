"""The baker connects its web shop: a source added in the admin, synchronised at once, the
run on its home page and the new products on its public page."""

from pathlib import Path

import pytest

from catalogue.models import CatalogueSource
from tests.catalogue.servers import CatalogueServer

from .test_merchant_path import PASSWORD, log_in

LEVAIN = Path(__file__).parents[1] / "catalogue" / "payloads" / "shopify_one_product.json"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def web_shop():
    """The baker's Shopify shop, on loopback."""
    server = CatalogueServer()
    server.route(
        "/products.json",
        body=LEVAIN.read_bytes(),
        headers={"Content-Type": "application/json"},
    )
    yield server
    server.close()


def test_the_baker_adds_its_web_shop_and_synchronises_it(
    browser, live_server, django_user_model, web_shop
):
    from merchants.models import ShopMembership
    from tests import builders

    bakery = builders.shop("Boulangerie Dupont", slug="boulangerie-dupont")
    baker = django_user_model.objects.create_user(
        username="boulanger", email="boulanger@example.org", password=PASSWORD
    )
    ShopMembership.objects.create(user=baker, shop=bakery)
    base = live_server.url
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        log_in(page, base, "boulanger")

        page.goto(f"{base}/admin/snippets/catalogue/cataloguesource/add/")
        page.select_option("#id_kind", "shopify")
        page.fill("#id_url", web_shop.url("/"))
        page.fill("#id_name", "Ma boutique Shopify")
        page.click("button[type=submit]:has-text('Enregistrer')")
        page.wait_for_url(f"{base}/admin/snippets/catalogue/cataloguesource/")
        source = CatalogueSource.objects.get(name="Ma boutique Shopify")
        assert source.shop_id == bakery.pk

        # From its home page, the source's report, and "Synchroniser maintenant".
        page.goto(f"{base}/admin/")
        page.click("#catalogue-sources-section a:has-text('Ma boutique Shopify')")
        with page.expect_navigation():
            page.click("button:has-text('Synchroniser maintenant')")
        assert "La synchronisation est terminée : 1 créés" in page.locator(".messages").inner_text()

        page.goto(f"{base}/admin/")
        assert (
            "Catalogue synchronisé il y a"
            in page.locator("#catalogue-sources-section").inner_text()
        )

        page.goto(base + bakery.url)
        assert page.locator(".card", has_text="Pain au levain").count() == 1
    finally:
        page.close()
