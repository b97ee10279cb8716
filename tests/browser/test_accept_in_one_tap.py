"""No request left hanging, on a phone: the baker accepts a request with one tap, and a
resident reads on the status page that a request nobody answered has expired."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from merchants.models import MerchantPage, ShopMembership
from orders.expiry import expire_due
from orders.models import OrderRequest, Status
from tests import builders

from .test_accessibility import WCAG_21_AA, describe

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "un-mot-de-passe-de-test"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def bakery(django_user_model):
    shop = builders.shop("Boulangerie Dupont", slug="boulangerie-dupont", phone="065 12 34 56")
    baker = django_user_model.objects.create_user(
        username="boulanger", email="boulanger@example.org", password=PASSWORD
    )
    ShopMembership.objects.create(user=baker, shop=shop)
    return shop


def minute(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_baker_accepts_a_request_with_one_tap(browser, live_server, bakery):
    order = builders.order_request(bakery)
    base = live_server.url
    page = browser.new_page(viewport=PHONE, locale="fr-BE")
    try:
        page.goto(f"{base}/admin/login/")
        page.fill("#id_username", "boulanger")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/admin/")

        # From the admin's home page to the request, then one tap.
        page.click(f"a:has-text('{order.reference}')")
        before = minute(MerchantPage.objects.get(pk=bakery.pk).ready_time())
        filled_in = page.input_value("#id_accept-ready_at")
        after = minute(MerchantPage.objects.get(pk=bakery.pk).ready_time())
        assert filled_in in {before, after}
        with page.expect_navigation():
            page.click("#action-accept button[type=submit]")

        assert order.reference in page.locator(".messages").inner_text()
        order.refresh_from_db()
        assert order.status == Status.ACCEPTED
        assert minute(order.ready_at) == filled_in
    finally:
        page.close()


def test_the_status_page_of_an_expired_request_on_a_phone(browser, live_server, bakery):
    order = builders.order_request(bakery)
    OrderRequest.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(days=10))
    expire_due()
    page = browser.new_page(viewport=PHONE, locale="fr-BE")
    try:
        response = page.goto(f"{live_server.url}/ma-demande/suivi/{order.checkout.status_token}/")
        assert response.status == 200
        assert "Expirée sans réponse" in page.locator(".status").inner_text()
        assert page.locator(".status-expired a[href^='tel:']").inner_text() == "065 12 34 56"
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
        violations = results.response["violations"]
        assert not violations, describe(violations)
    finally:
        page.close()
