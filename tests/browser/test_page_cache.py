"""Two residents read one cached shop page: each sees their own counter, and "Ajouter" works
from the cached page with the CSRF check on (home/page_cache.py, static/js/visitor.js)."""

import pytest

from tests import builders

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def add_button(product):
    return f"form.add-to-request:has(input[name=product][value='{product.pk}']) button"


def test_two_residents_get_their_own_counters_from_one_cached_page(browser, live_server):
    bakery = builders.shop("Boulangerie Dupont", slug="boulangerie-dupont")
    baguette = builders.product(bakery, "Baguette tradition")
    croissant = builders.product(bakery, "Croissant")
    url = live_server.url + bakery.url
    first = browser.new_context()
    assert first.new_page().goto(url).headers["x-cache"] == "MISS"
    first.close()

    residents = [browser.new_context(), browser.new_context()]
    try:
        one, two = (context.new_page() for context in residents)
        for page, products in ((one, [baguette]), (two, [baguette, croissant])):
            for product in products:
                assert page.goto(url).headers["x-cache"] == "HIT"
                # The script has put this resident's token and counter in place.
                page.wait_for_selector("[data-visitor-count]:not([hidden])", state="attached")
                page.click(add_button(product))
                assert "ajouté" in page.locator(".messages").inner_text()

        for page, count in ((one, "1"), (two, "2")):
            assert page.goto(url).headers["x-cache"] == "HIT"
            counter = page.wait_for_selector("[data-visitor-count]:not([hidden])", state="attached")
            assert counter.text_content() == count
    finally:
        for context in residents:
            context.close()
