"""The Content-Security-Policy in a real browser (home/csp.py): not one violation on the
pages a resident goes through, nor on the admin pages a merchant uses.

Chromium reports each blocked script, style or image twice: a console error, and a
`securitypolicyviolation` event on the document, which a script added before the page's
own collects. The map tiles come from a subdomain of the tile server of the settings (the
host wildcard of the policy); the test answers them itself, no request leaves the machine.
"""

import base64
from decimal import Decimal

import pytest

from merchants.models import ShopMembership
from tests import builders

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "un-mot-de-passe-de-test"
TILES = "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"
# A transparent 1 × 1 PNG, for every tile.
TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)

WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
    window.__cspViolations.push(
        event.violatedDirective + " blocked " + (event.blockedURI || "inline") +
        " (" + event.sourceFile + ":" + event.lineNumber + ")"
    );
});
"""


@pytest.fixture
def portal(settings, django_user_model):
    options = dict(settings.LEAFLET_CONFIG["TILES"][0][2])
    settings.LEAFLET_CONFIG = {"TILES": [("OpenStreetMap", TILES, options)]}
    bakery = builders.shop("Boulangerie Dupont", slug="boulangerie-dupont")
    baguette = builders.product(
        bakery, "Baguette tradition", price=Decimal("1.30"), image=builders.make_image("Pain")
    )
    baker = django_user_model.objects.create_user(
        username="boulanger", email="boulanger@example.org", password=PASSWORD
    )
    ShopMembership.objects.create(user=baker, shop=bakery)
    order = builders.order_request(bakery)
    return bakery, baguette, order


class Violations:
    """Every CSP violation of a browser page, by the address it happened on."""

    def __init__(self, page):
        self.page = page
        self.found = {}
        self.policy = None  # the header of the page shown now
        page.add_init_script(WATCH)
        page.on("console", self._console)
        page.on("response", self._response)
        page.route("https://*.tile.openstreetmap.org/**", self._tile)

    def _response(self, response):
        if response.request.is_navigation_request() and response.frame == self.page.main_frame:
            self.policy = response.headers.get("content-security-policy")

    @staticmethod
    def _tile(route):
        route.fulfill(status=200, content_type="image/png", body=TILE)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.found.setdefault(self.page.url, []).append(message.text)

    def check(self, what, admin=False):
        """Record the violations of the page shown now, once it has loaded. The page has
        the policy it should: the admin's, or the public site's (no inline script)."""
        self.page.wait_for_load_state("load")
        assert self.policy and "script-src 'self'" in self.policy, f"{what}: {self.policy}"
        assert ("'unsafe-inline'" in self.policy) is admin, f"{what}: {self.policy}"
        for violation in self.page.evaluate("window.__cspViolations || []"):
            self.found.setdefault(f"{what} {self.page.url}", []).append(violation)

    def visit(self, url, what, admin=False):
        response = self.page.goto(url)
        assert response.status == 200, f"{what}: {url} answered {response.status}"
        self.check(what, admin=admin)

    def assert_none(self):
        assert not self.found, "\n".join(
            f"{where}:\n  " + "\n  ".join(messages) for where, messages in self.found.items()
        )


@pytest.fixture
def violations(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    yield Violations(page)
    page.close()


def test_no_csp_violation_on_the_residents_pages(violations, live_server, portal):
    bakery, baguette, _order = portal
    base = live_server.url
    page = violations.page
    violations.visit(base + "/", "home")
    violations.visit(base + builders.shop_index().url, "shops, with their map")
    violations.visit(base + bakery.url, "shop")
    assert page.locator("[data-map]").is_visible()  # Leaflet drew the map
    violations.visit(base + baguette.url, "product")
    violations.visit(base + "/search/?q=baguette", "search results")
    page.fill("#site-search-q", "bag")  # suggestions, fetched as one types
    page.wait_for_selector("#site-search-suggestions li")
    violations.check("search suggestions")

    violations.visit(base + baguette.url, "product")
    page.click("button:has-text('Ajouter à ma demande')")
    violations.check("added to the request")
    page.click("a:has-text('Ma demande')")
    violations.check("request list")
    page.click("text=Continuer")
    violations.check("checkout details")
    page.fill("#id_name", "Marie Dubois")
    page.fill("#id_email", "marie@example.org")
    page.fill("#id_phone", "0470 12 34 56")
    page.check(f"#id_shop_{bakery.pk}_fulfilment_0")  # pick-up
    page.check("#id_consent")
    page.click("main button[type=submit]")
    assert page.locator("h1").inner_text() == "Vérifiez votre demande"
    violations.check("checkout review")
    page.click("button:has-text('Envoyer ma demande')")
    assert "envoyée" in page.locator("h1").inner_text()
    violations.check("confirmation")

    violations.assert_none()


def test_no_csp_violation_on_the_admin_pages_a_merchant_uses(violations, live_server, portal):
    bakery, baguette, order = portal
    base = live_server.url
    page = violations.page
    violations.visit(f"{base}/admin/login/", "log-in", admin=True)
    page.fill("#id_username", "boulanger")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    violations.check("dashboard", admin=True)

    violations.visit(f"{base}/admin/pages/{bakery.pk}/edit/", "shop page editor", admin=True)
    assert page.locator(".latlng-picker__map .leaflet-tile").count() > 0
    violations.visit(f"{base}/admin/snippets/products/product/", "products", admin=True)
    violations.visit(
        f"{base}/admin/snippets/products/product/edit/{baguette.pk}/", "product editor", admin=True
    )
    page.click("#id_images-ADD")  # an inline panel's new form, from its <template>
    page.locator("#id_images-1-image").locator("xpath=..").locator(
        "button[data-chooser-action-choose]"
    ).click()
    page.wait_for_selector(".modal-content")
    violations.check("image chooser", admin=True)
    violations.visit(f"{base}/admin/orders/orderrequest/", "order requests", admin=True)
    violations.visit(
        f"{base}/admin/orders/orderrequest/inspect/{order.pk}/", "order request", admin=True
    )

    # The public shop page with the admin's user bar.
    violations.visit(base + bakery.url, "shop, with the user bar")
    assert page.locator("wagtail-userbar").count() == 1

    violations.assert_none()
