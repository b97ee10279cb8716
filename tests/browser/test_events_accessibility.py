"""The calendar's pages, and the home and shop pages with their events, pass axe-core's
WCAG 2.1 A and AA rules on a phone and on a desktop."""

from datetime import time, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from tests import builders
from tests.browser.test_accessibility import WIDTHS, check_page
from tests.events import builders as calendar

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def town():
    today = timezone.localdate()
    bakery = builders.shop("Boulangerie Dupont", slug="boulangerie-dupont")
    market = calendar.saturday_market(
        start_date=today + timedelta(days=(5 - today.weekday()) % 7),
        exceptions=[],
        shops=[bakery],
        intro="Producteurs et artisans de la région.",
    )
    calendar.event(
        "Brocante de printemps",
        start_date=today + timedelta(days=10),
        start_time=time(7),
        end_time=time(17),
        banner=builders.make_image("Brocante", size=(640, 480)),
        banner_alt="Des stands de brocante sur la place",
        shops=[bakery],
    )
    return {
        "calendar": calendar.calendar().url,
        "event": market.url,
        "home": "/",
        "shop": bakery.url,
    }


@pytest.mark.parametrize("width", WIDTHS)
def test_the_calendars_pages_have_no_wcag_violation(browser, live_server, town, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-BE")
    page = context.new_page()
    axe = Axe()
    try:
        for name, path in town.items():
            check_page(page, axe, live_server.url + path, name, width)
            assert page.locator(".card--event").count() or name == "event", name
    finally:
        context.close()
