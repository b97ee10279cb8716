"""The main pages pass axe-core's WCAG 2.1 A and AA rules on a phone and on a desktop."""

from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe

from home.models import HomePageFeaturedProduct, HomePageFeaturedShop
from tests import builders

# The live server runs in another thread, so data must be committed; serialized rollback
# brings back what migrations created (the home page, the site, the root collection).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = [390, 1280]


@pytest.fixture
def town():
    image = builders.make_image("Vitrine", size=(640, 480))
    bakery = builders.shop(
        "Boulangerie Dupont",
        slug="boulangerie-dupont",
        categories=[builders.category("Boulangerie", "🥖")],
        neighbourhood=builders.neighbourhood("Centre"),
        offers_delivery=True,
        delivery_postcodes="7000",
    )
    bakery.gallery_images.create(image=image, alt_text="La vitrine de la boulangerie")
    builders.shop("Fleurs de Lys", categories=[builders.category("Fleuriste", "💐")])
    baguette = builders.product(
        bakery,
        "Baguette tradition",
        price=Decimal("1.30"),
        former_price=Decimal("1.50"),
        unit_label="la pièce",
        image=image,
    )
    builders.product(bakery, "Croissant", availability="out_of_stock")
    builders.news_item(bakery, "Arrivage de truffes samedi", photo=image)  # shop and home
    home = builders.home_page()
    HomePageFeaturedShop.objects.create(page=home, shop=bakery)
    HomePageFeaturedProduct.objects.create(page=home, product=baguette)
    return {
        "home": "/",
        "shop index": builders.shop_index().url,
        "shop": bakery.url,
        "product": baguette.url,
        "numbers": numbers_page().url,
        "search": "/search/?q=pain&delivery=on",
        "search without result": "/search/?q=licorne",
    }


def numbers_page():
    from insights.models import NumbersPage

    page = builders.home_page().add_child(
        instance=NumbersPage(title="Le portail en chiffres", slug="en-chiffres")
    )
    page.save_revision().publish()
    return page


def describe(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in violations
    )


def check_page(page, axe, url, name, width):
    """The page at `url` answers, has one h1, no axe violation, and no sideways scroll."""
    response = page.goto(url)
    assert response.status == 200, f"{name}: HTTP {response.status}"
    assert page.locator("h1").count() == 1, f"{name}: exactly one h1"
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    violations = results.response["violations"]
    assert not violations, f"{name} at {width}px:\n{describe(violations)}"
    # Nothing may overflow sideways on a phone.
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name} at {width}px scrolls sideways by {overflow}px"


@pytest.mark.parametrize("width", WIDTHS)
def test_main_pages_have_no_wcag_violation(browser, live_server, town, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-BE")
    page = context.new_page()
    axe = Axe()
    try:
        for name, path in town.items():
            check_page(page, axe, live_server.url + path, name, width)
    finally:
        context.close()


def test_skip_link_is_the_first_stop_and_leads_to_main(browser, live_server, town):
    page = browser.new_page(viewport={"width": 390, "height": 800})
    try:
        page.goto(live_server.url + town["home"])
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.getAttribute('href')")
        assert focused == "#main"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"
    finally:
        page.close()


def test_whole_product_card_opens_the_product(browser, live_server, town):
    page = browser.new_page(viewport={"width": 390, "height": 800})
    try:
        page.goto(live_server.url + town["shop"])
        card = page.locator(".card--product", has_text="Baguette tradition")
        # Click where the price is drawn, not on the link: the heading's link covers the
        # whole card, so the click lands on it (Playwright's element click would refuse).
        card.scroll_into_view_if_needed()  # below the shop's news on a phone
        box = card.locator(".price").bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_url(f"**{town['product']}")
        assert page.locator("h1").inner_text() == "Baguette tradition"
    finally:
        page.close()
