"""'Le portail en chiffres': the public numbers, and the city's switch to publish them."""

import re
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page

from insights.models import NumbersPage
from insights.numbers import month_starts, portal_numbers
from orders.models import Fulfilment, OrderRequest, Status
from products.models import Product

from .. import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def numbers_page(home):
    page = NumbersPage(title="Le portail en chiffres", slug="en-chiffres")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def english(client):
    """The source strings, as an English visitor reads them (the town's default is French)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def local(day, hour=12, minute=0):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def request_at(shop, moment, status=Status.NEW, **fields):
    order = builders.order_request(shop, status=status, **fields)
    OrderRequest.objects.filter(pk=order.pk).update(created_at=moment)
    return order


def not_updated_for(shop, days):
    """Backdate a shop and its products, as if nobody had touched them for `days` days."""
    then = timezone.now() - timedelta(days=days)
    Page.objects.filter(pk=shop.pk).update(last_published_at=then)
    Product.objects.filter(shop=shop).update(updated_at=then)


def text(response):
    assert response.status_code == 200, response.status_code
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.mark.dated
def test_the_page_shows_shops_active_shops_products_and_requests_month_by_month(
    english, numbers_page, bakery, flower_shop
):
    stale_days = settings.PORTAL_STALE_AFTER_DAYS
    builders.product(bakery, "Baguette")
    builders.product(bakery, "Croissant")
    builders.product(bakery, "Vieux pain", is_active=False)  # hidden from residents
    builders.product(flower_shop, "Rose")
    not_updated_for(flower_shop, stale_days + 1)
    # A page not republished for long, but whose price was changed yesterday: active.
    cheese_shop = builders.shop("Fromagerie du Beffroi")
    builders.product(cheese_shop, "Comté")
    not_updated_for(cheese_shop, stale_days + 10)
    Product.objects.filter(shop=cheese_shop).update(updated_at=timezone.now() - timedelta(days=1))
    draft = builders.shop("Pas encore en ligne", publish=False)
    builders.product(draft, "Invisible")

    this_month, last_month, *_rest, oldest = month_starts(timezone.localdate())
    # Half past midnight on the 1st in Brussels is still the month before in UTC.
    request_at(bakery, local(this_month, 0, 30), Status.NEW)
    request_at(bakery, local(this_month), Status.ACCEPTED)
    request_at(flower_shop, local(this_month), Status.DECLINED)
    request_at(flower_shop, local(this_month), Status.CANCELLED)  # withdrawn, never answered
    request_at(flower_shop, local(this_month), Status.EXPIRED)  # never answered
    request_at(bakery, local(last_month), Status.COMPLETED)
    request_at(bakery, local(last_month), Status.NOT_COLLECTED)
    request_at(bakery, local(last_month), Status.NEW)
    request_at(bakery, local(oldest - timedelta(days=1)), Status.COMPLETED)  # 13 months ago

    page = text(english.get(numbers_page.url))

    assert "Shops on the portal 3 " in page  # not the draft
    updated = f"updated (their page or one of their products) in the last {stale_days} days"
    assert f"Active shops 2 {updated}" in page
    assert "Products on offer 4 " in page  # not the inactive one, nor the draft's
    assert "Requests sent to the shops 5 " in page
    assert "Requests answered by the shops 2 (40 % of those sent)" in page
    this_row = f"{this_month:%B %Y} (so far) 5 2 40 %"
    last_row = f"{last_month:%B %Y} 3 2 67 %"
    assert this_row in page
    assert last_row in page
    assert f"{oldest:%B %Y} 0 0 — no request" in page
    assert page.index(this_row) < page.index(last_row)  # the most recent first
    assert "Total 8 4 50 %" in page


@pytest.mark.dated
def test_collection_point_pick_ups_and_courier_deliveries_have_their_columns(
    english, numbers_page, bakery
):
    this_month, last_month, *_rest = month_starts(timezone.localdate())
    request_at(bakery, local(this_month), fulfilment=Fulfilment.COLLECTION)
    request_at(bakery, local(this_month), fulfilment=Fulfilment.COLLECTION)
    request_at(bakery, local(this_month), fulfilment=Fulfilment.COURIER)
    request_at(bakery, local(this_month), fulfilment=Fulfilment.PICKUP)
    request_at(bakery, local(last_month), Status.COMPLETED, fulfilment=Fulfilment.COURIER)
    page = text(english.get(numbers_page.url))
    assert "Collected at a collection point Delivered by the town's courier" in page
    assert f"{this_month:%B %Y} (so far) 4 0 0 % 2 1 " in page
    assert f"{last_month:%B %Y} 1 1 100 % 0 1 " in page
    assert "Total 5 1 20 % 2 2 " in page


@pytest.mark.dated
def test_twelve_months_are_listed_even_without_any_request(english, numbers_page):
    numbers = portal_numbers()

    assert len(numbers.months) == 12
    assert [month.sent for month in numbers.months] == [0] * 12
    assert numbers.months[0].first == timezone.localdate().replace(day=1)
    assert numbers.total.answered_percent is None
    assert "Total 0 0 — no request" in text(english.get(numbers_page.url))


def test_the_city_decides_whether_the_numbers_are_published(client, numbers_page):
    assert client.get(numbers_page.url).status_code == 200

    numbers_page.unpublish()

    # Like any unpublished page: not found, and nothing of the numbers shown.
    response = client.get("/en-chiffres/")
    assert response.status_code == 404
    assert "Requests month by month" not in response.content.decode()

    numbers_page.get_latest_revision().publish()
    assert client.get("/en-chiffres/").status_code == 200


def test_a_draft_numbers_page_is_not_public(client, home):
    page = NumbersPage(title="Le portail en chiffres", slug="en-chiffres", live=False)
    home.add_child(instance=page)

    assert client.get("/en-chiffres/").status_code == 404


def test_the_page_costs_the_same_queries_for_few_or_many_shops_products_and_requests(
    client, numbers_page, bakery
):
    builders.product(bakery)
    request_at(bakery, timezone.now())

    def queries():
        assert client.get(numbers_page.url).status_code == 200  # warm-up
        with CaptureQueriesContext(connection) as captured:
            assert client.get(numbers_page.url).status_code == 200
        return len(captured)

    few = queries()
    for number in range(8):
        shop = builders.shop(f"Commerce {number}")
        for _ in range(5):
            builders.product(shop)
        for months in range(12):
            request_at(shop, timezone.now() - timedelta(days=30 * months), Status.COMPLETED)
    assert queries() == few
