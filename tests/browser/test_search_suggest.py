"""A resident types in the header's search box, picks a suggestion with the keyboard and
lands on the product's page."""

from decimal import Decimal

import pytest

from tests import builders

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_resident_picks_a_suggestion_from_the_header_box(browser, live_server):
    bakery = builders.shop("Boulangerie Dupont", slug="boulangerie-dupont")
    croissant = builders.product(bakery, "Croissant au beurre", price=Decimal("1.20"))
    builders.product(bakery, "Crêpe au sucre", price=Decimal("2.50"))
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(live_server.url + "/")
        box = page.locator("#site-search-q")
        box.press_sequentially("croiss", delay=40)

        options = page.locator("#site-search-suggestions [role=option]")
        options.first.wait_for()
        assert box.get_attribute("aria-expanded") == "true"
        assert options.count() == 1
        assert "Croissant au beurre" in options.first.inner_text()

        box.press("ArrowDown")
        assert box.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
        with page.expect_navigation():
            box.press("Enter")

        assert page.url == live_server.url + croissant.url
        assert page.locator("h1").inner_text() == "Croissant au beurre"
    finally:
        page.close()


def test_the_header_box_still_searches_without_suggestions(browser, live_server):
    bakery = builders.shop("Boulangerie Dupont", slug="boulangerie-dupont")
    builders.product(bakery, "Croissant au beurre", price=Decimal("1.20"))
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        page.fill("#site-search-q", "croissants")
        with page.expect_navigation():
            page.press("#site-search-q", "Enter")

        assert "/search/?q=croissants" in page.url
        assert "Croissant au beurre" in page.locator("main").inner_text()
    finally:
        context.close()
