"""A resident on a phone: two shops, one request list, pick-up at one, delivery at the other."""

import re
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe

from orders.models import OrderRequest
from tests import builders

from .test_accessibility import WCAG_21_AA, describe

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def shops():
    bakery = builders.shop(
        "Boulangerie Dupont",
        slug="boulangerie-dupont",
        offers_delivery=True,
        delivery_postcodes="7000",
    )
    florist = builders.shop("Fleurs de Lys", slug="fleurs-de-lys")
    baguette = builders.product(bakery, "Baguette tradition", price=Decimal("1.30"))
    bouquet = builders.product(florist, "Bouquet de saison", price=Decimal("25.00"))
    return bakery, florist, baguette, bouquet


def assert_accessible(page, name):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    violations = results.response["violations"]
    assert not violations, f"{name}:\n{describe(violations)}"


def test_resident_sends_one_request_to_two_shops(browser, live_server, shops):
    bakery, florist, baguette, bouquet = shops
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(live_server.url + baguette.url)
        page.fill("input[name=quantity]", "2")
        page.click("button:has-text('Ajouter à ma demande')")
        assert "ajouté" in page.locator(".messages").inner_text()
        page.goto(live_server.url + bouquet.url)
        page.click("button:has-text('Ajouter à ma demande')")
        assert page.locator(".counter").inner_text() == "3"

        page.click("a:has-text('Ma demande')")
        assert page.locator("h2", has_text="Boulangerie Dupont").count() == 1
        assert page.locator("h2", has_text="Fleurs de Lys").count() == 1
        assert_accessible(page, "request list")
        page.click("text=Continuer")

        # A first try without the address: the error is shown, what was typed is kept.
        page.fill("#id_name", "Marie Dubois")
        page.fill("#id_email", "marie@example.org")
        page.fill("#id_phone", "0470 12 34 56")
        page.check(f"#id_shop_{bakery.pk}_fulfilment_1")  # home delivery
        page.check(f"#id_shop_{florist.pk}_fulfilment_0")  # pick-up
        page.check("#id_consent")
        page.click("main button[type=submit]")
        assert page.locator(".error-summary").count() == 1
        assert page.input_value("#id_name") == "Marie Dubois"
        assert_accessible(page, "details with errors")

        page.fill("#id_street_address", "Rue Haute 3")
        page.fill("#id_postcode", "7000")
        page.fill("#id_town", "Valbourg")
        page.click("main button[type=submit]")

        assert page.locator("h1").inner_text() == "Vérifiez votre demande"
        assert "32,60" in page.inner_text("main")  # 2 × 1,30 + 5,00 delivery + 25,00
        assert_accessible(page, "check your request")
        page.click("button:has-text('Envoyer ma demande')")

        assert "envoyée" in page.locator("h1").inner_text()
        references = page.locator(".reference").all_inner_texts()
        stored = sorted(OrderRequest.objects.values_list("reference", flat=True))
        assert sorted(references) == stored and len(stored) == 2
        assert all(re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}", ref) for ref in references)
        assert_accessible(page, "confirmation")
    finally:
        page.close()
