"""The courier's round on a phone: its member logs in, opens today's round sheet from the
admin's home, and marks a delivery done."""

from datetime import datetime, time

import pytest
from django.utils import timezone

from courier.models import Courier, DeliveryWindow, Stop
from merchants.hours import instant
from orders.models import Status
from tests import builders

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "un-mot-de-passe-de-test"
PHONE = {"width": 390, "height": 844}


def test_the_courier_marks_a_delivery_done_from_its_round_sheet(
    browser, live_server, django_user_model
):
    bakery = builders.shop("Boulangerie Dupont", slug="boulangerie-dupont")
    courier = Courier.objects.create(
        name="Vélocoop", email="v@example.org", fee=4, postcodes="7000"
    )
    window = DeliveryWindow.objects.create(
        courier=courier,
        weekday=timezone.localdate().weekday(),
        starts=time(17),
        ends=time(19),
        capacity=5,
    )
    rider = django_user_model.objects.create_user(username="coursier", password=PASSWORD)
    courier.members.add(rider)
    starts_at = instant(datetime.combine(timezone.localdate(), time(17)))
    order = builders.order_request(
        bakery,
        "Élise Moreau",
        fulfilment="courier",
        status=Status.OUT_FOR_DELIVERY,
        street_address="Rue de Nimy 12",
        postcode="7000",
        town="Valbourg",
    )
    stop = Stop.objects.create(
        request=order,
        courier=courier,
        window=window,
        starts_at=starts_at,
        ends_at=instant(datetime.combine(timezone.localdate(), time(19))),
        notes="2e étage",
    )
    base = live_server.url
    page = browser.new_page(viewport=PHONE, locale="fr-BE")
    try:
        page.goto(f"{base}/admin/login/")
        page.fill("#id_username", "coursier")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/admin/")

        with page.expect_navigation():
            page.click("a:has-text('Vélocoop')")
        card = page.locator(f"#stop-{stop.pk}")
        assert "Rue de Nimy 12" in card.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # On paper: the sheet without its buttons nor the admin's menu.
        page.emulate_media(media="print")
        assert not card.locator(".stop__actions").is_visible()
        assert "Rue de Nimy 12" in card.inner_text()
        page.emulate_media(media="screen")
        with page.expect_navigation():
            card.locator("button[type=submit]").first.click()

        assert "Élise Moreau" in page.locator(".messages").inner_text()
        order.refresh_from_db()
        assert order.status == Status.COMPLETED
        stop.refresh_from_db()
        assert stop.state == "done"
    finally:
        page.close()
