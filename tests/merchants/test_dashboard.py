"""The merchant's home page in the admin: its shop, and one-click updates."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from products.models import Product

from .. import builders
from ..builders import admin_login

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("wagtailadmin_home")


def aged(product, days):
    Product.objects.filter(pk=product.pk).update(updated_at=timezone.now() - timedelta(days=days))


@pytest.fixture
def bread(bakery):
    return builders.product(bakery, "Pain de campagne", price=Decimal("3.20"))


def test_the_bakers_home_shows_its_shop_and_its_least_recently_updated_products(
    client, baker, bakery, flower_shop
):
    products = [builders.product(bakery, f"Pain n°{n}") for n in range(7)]
    for days, product in enumerate(products):
        aged(product, days)
    builders.product(flower_shop, "Bouquet de pivoines")
    admin_login(client, baker)

    page = client.get(DASHBOARD).content.decode()

    assert f'id="shop-{bakery.pk}' in page
    assert reverse("wagtailadmin_pages:edit", args=[bakery.pk]) in page
    assert reverse("wagtailsnippets_products_product:add") in page
    shown = [p.name for p in reversed(products)][:5]  # the oldest first
    positions = [page.index(name) for name in shown]
    assert positions == sorted(positions)
    assert "Pain n°1<" not in page and "Pain n°0<" not in page
    assert "Bouquet de pivoines" not in page
    assert "Fleurs de Lys" not in page


def test_the_city_editor_has_no_shop_panel(client, city_editor, bakery):
    admin_login(client, city_editor)

    page = client.get(DASHBOARD).content.decode()

    assert f'id="shop-{bakery.pk}' not in page


def test_the_dashboard_costs_the_same_queries_for_five_or_fifty_products(client, baker, bakery):
    for n in range(5):
        builders.product(bakery, f"Pain n°{n}")
    admin_login(client, baker)
    client.get(DASHBOARD)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(DASHBOARD).status_code == 200
        return len(captured)

    few = queries()
    for n in range(45):
        builders.product(bakery, f"Baguette n°{n}")
    assert queries() == few


def test_one_click_marks_a_product_out_of_stock_then_back(client, baker, bread):
    admin_login(client, baker)
    url = reverse("merchants_product_stock", args=[bread.pk])

    response = client.post(url, {"availability": "out_of_stock"}, follow=True)
    bread.refresh_from_db()
    assert bread.availability == "out_of_stock"
    assert "Pain de campagne is out of stock." in response.content.decode()

    client.post(url, {"availability": "in_stock"})
    bread.refresh_from_db()
    assert bread.availability == "in_stock"


def test_an_unknown_availability_changes_nothing(client, baker, bread):
    admin_login(client, baker)

    client.post(reverse("merchants_product_stock", args=[bread.pk]), {"availability": "gone"})

    bread.refresh_from_db()
    assert bread.availability == "in_stock"


def test_the_price_changes_in_one_step_with_a_french_comma(client, baker, bread):
    admin_login(client, baker, language="fr")

    response = client.post(reverse("merchants_product_price", args=[bread.pk]), {"price": "3,45"})

    assert response.status_code == 302
    bread.refresh_from_db()
    assert bread.price == Decimal("3.45")


@pytest.mark.parametrize(
    "typed,error",
    [
        ("trois euros", "Enter an amount in euros"),
        ("-1", "The price cannot be negative."),
        ("", "Enter a price."),
        ("1e400", "This amount is too large: check it."),
        ("2.505", "Enter at most two decimals: cents."),
    ],
)
def test_a_wrong_price_is_refused_next_to_the_field_and_kept(client, baker, bread, typed, error):
    admin_login(client, baker)

    response = client.post(reverse("merchants_product_price", args=[bread.pk]), {"price": typed})

    page = response.content.decode()
    assert response.status_code == 400
    assert error in page
    assert f'value="{typed}"' in page or typed == ""
    bread.refresh_from_db()
    assert bread.price == Decimal("3.20")


def test_a_new_price_above_the_former_price_ends_the_promotion(client, baker, bakery):
    promoted = builders.product(bakery, "Brioche", price=Decimal("4.00"), former_price=Decimal("5"))
    admin_login(client, baker)

    client.post(reverse("merchants_product_price", args=[promoted.pk]), {"price": "5.50"})

    promoted.refresh_from_db()
    assert promoted.price == Decimal("5.50")
    assert promoted.former_price is None


@pytest.mark.dated
def test_pausing_requests_applies_to_the_live_page_at_once(client, baker, bakery):
    admin_login(client, baker)
    until = timezone.localdate() + timedelta(days=10)

    response = client.post(
        reverse("merchants_pause_requests", args=[bakery.pk]),
        {f"pause-{bakery.pk}-until": until.isoformat(), f"pause-{bakery.pk}-reason": "Congés"},
    )

    assert response.status_code == 302
    bakery.refresh_from_db()
    assert bakery.requests_paused()
    assert (bakery.requests_paused_until, bakery.pause_reason) == (until, "Congés")

    client.post(reverse("merchants_resume_requests", args=[bakery.pk]))
    bakery.refresh_from_db()
    assert not bakery.requests_paused()


@pytest.mark.dated
def test_a_pause_survives_publishing_a_draft_written_before_it(client, baker, bakery):
    bakery.tagline = "Nouveau slogan"
    draft = bakery.save_revision()
    admin_login(client, baker)
    until = timezone.localdate() + timedelta(days=3)

    client.post(
        reverse("merchants_pause_requests", args=[bakery.pk]),
        {f"pause-{bakery.pk}-until": until.isoformat(), f"pause-{bakery.pk}-reason": "Maladie"},
    )
    draft.refresh_from_db()
    draft.publish()

    bakery.refresh_from_db()
    assert bakery.tagline == "Nouveau slogan"
    assert bakery.requests_paused_until == until


def test_a_pause_in_the_past_is_refused_and_what_was_typed_stays(client, baker, bakery):
    admin_login(client, baker)

    response = client.post(
        reverse("merchants_pause_requests", args=[bakery.pk]),
        {f"pause-{bakery.pk}-until": "2001-01-01", f"pause-{bakery.pk}-reason": "Congés d'hiver"},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose today or a later day." in page
    assert "Congés d&#x27;hiver" in page
    bakery.refresh_from_db()
    assert bakery.requests_paused_until is None


def test_the_florist_cannot_touch_the_bakers_product_or_shop(client, florist, bakery, bread):
    admin_login(client, florist)

    responses = [
        client.post(
            reverse("merchants_product_stock", args=[bread.pk]), {"availability": "out_of_stock"}
        ),
        client.post(reverse("merchants_product_price", args=[bread.pk]), {"price": "0"}),
        client.post(
            reverse("merchants_pause_requests", args=[bakery.pk]),
            {f"pause-{bakery.pk}-until": timezone.localdate().isoformat()},
        ),
    ]

    assert [response.status_code for response in responses] == [404, 404, 404]
    bread.refresh_from_db()
    bakery.refresh_from_db()
    assert (bread.availability, bread.price) == ("in_stock", Decimal("3.20"))
    assert bakery.requests_paused_until is None


def test_the_panels_buttons_carry_their_csrf_token(baker, bread):
    # The test client skips CSRF checks unless told: a real browser does not.
    client = Client(enforce_csrf_checks=True)
    admin_login(client, baker)
    page = client.get(DASHBOARD).content.decode()
    form = page[page.index(f'action="/admin/product/{bread.pk}/stock/"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]

    response = client.post(
        reverse("merchants_product_stock", args=[bread.pk]),
        {"availability": "out_of_stock", "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302
    bread.refresh_from_db()
    assert bread.availability == "out_of_stock"
