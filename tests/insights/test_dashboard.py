"""Each merchant's numbers on its admin home: its own shop's only, month to date."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from insights.dashboard import compared_periods, shop_numbers
from insights.models import DailyCount, Event
from merchants.models import ShopMembership
from orders.models import OrderRequest

from .. import builders
from ..builders import admin_login

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("wagtailadmin_home")


def counted(shop, day, event=Event.VIEW, count=1, product=None):
    return DailyCount.objects.create(shop=shop, day=day, event=event, count=count, product=product)


def request_at(shop, moment):
    order = builders.order_request(shop)
    OrderRequest.objects.filter(pk=order.pk).update(created_at=moment)
    return order


def local(*args):
    return timezone.make_aware(datetime(*args))


def panel(page, shop):
    """The text of a shop's numbers panel, tags removed, spaces squeezed."""
    # The panel's content, not its opening tag: the shop's id in it is not one of its figures.
    match = re.search(rf'id="numbers-{shop.pk}-content"[^>]*>(.*?)</section>', page, re.S)
    assert match, f"no numbers panel for {shop}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def figures(page, shop):
    """The three figures of a shop's panel, as "this month, last month" pairs."""
    rows = re.findall(
        r"(?:Page views|Visit intents|Order requests)\D*([\d,]+ [\d,]+)", panel(page, shop)
    )
    return rows


@pytest.mark.parametrize(
    "today,current,previous",
    [
        ((2026, 3, 10), ((2026, 3, 1), (2026, 3, 9)), ((2026, 2, 1), (2026, 2, 9))),
        # The month before is shorter: it counts whole.
        ((2026, 3, 31), ((2026, 3, 1), (2026, 3, 30)), ((2026, 2, 1), (2026, 2, 28))),
        # On the 1st, no whole day of this month yet: last month against the one before.
        ((2026, 3, 1), ((2026, 2, 1), (2026, 2, 28)), ((2026, 1, 1), (2026, 1, 28))),
        ((2026, 1, 1), ((2025, 12, 1), (2025, 12, 31)), ((2025, 11, 1), (2025, 11, 30))),
    ],
)
def test_the_month_up_to_yesterday_is_set_against_the_same_days_of_the_month_before(
    today, current, previous
):
    this_month, month_before = compared_periods(date(*today))

    assert (this_month.first, this_month.last) == (date(*current[0]), date(*current[1]))
    assert (month_before.first, month_before.last) == (date(*previous[0]), date(*previous[1]))


def test_numbers_count_whole_days_of_both_months_from_local_midnight(bakery):
    bread = builders.product(bakery, "Pain de campagne")
    today = date(2026, 3, 11)  # so 1–10 March against 1–10 February
    counted(bakery, date(2026, 3, 1), count=20)
    counted(bakery, date(2026, 3, 10), count=5, product=bread)
    counted(bakery, date(2026, 3, 10), Event.CALL, count=2)
    counted(bakery, date(2026, 3, 4), Event.SHARE, count=1)
    counted(bakery, date(2026, 2, 10), count=8)
    counted(bakery, date(2026, 2, 3), Event.DIRECTIONS, count=4)
    # Today's half day, the days after 10 February and before the 1st: outside both periods.
    counted(bakery, date(2026, 3, 11), count=1000)
    counted(bakery, date(2026, 3, 11), count=1000, product=bread)
    counted(bakery, date(2026, 2, 11), count=1000)
    counted(bakery, date(2026, 2, 11), Event.CALL, count=1000)
    counted(bakery, date(2026, 1, 31), count=1000)
    # Brussels is UTC+1 in winter: 00:30 on 1 March there is still February in UTC.
    request_at(bakery, local(2026, 3, 1, 0, 30))
    request_at(bakery, local(2026, 3, 10, 23, 59))
    request_at(bakery, local(2026, 2, 28, 23, 59))  # after 10 February: not compared
    request_at(bakery, local(2026, 2, 10, 12, 0))
    request_at(bakery, local(2026, 3, 11, 0, 0))  # today

    numbers = shop_numbers(bakery, today=today)

    views, intents, requests = numbers["rows"]
    assert (views.current, views.previous) == (25, 8)
    assert (intents.current, intents.previous) == (3, 4)
    assert (requests.current, requests.previous) == (2, 1)
    assert (views.trend, views.amount, views.percent) == ("up", 17, 212)  # 17 / 8 = 212.5 %
    assert (intents.trend, intents.amount, intents.percent) == ("down", 1, 25)
    assert numbers["top_products"] == [
        {"product_id": bread.pk, "name": "Pain de campagne", "views": 5, "views_before": 0}
    ]


@pytest.mark.dated
def test_the_bakers_home_shows_its_numbers_in_words_and_its_most_viewed_products(
    client, baker, bakery
):
    current, previous = compared_periods(timezone.localdate())
    products = {
        name: builders.product(bakery, name)
        for name in ["Baguette", "Croissant", "Éclair", "Flan", "Pain gris", "Tarte", "Cramique"]
    }
    for views, name in enumerate(products, start=1):
        counted(bakery, current.first, count=views * 10, product=products[name])
    counted(bakery, previous.first, count=3, product=products["Cramique"])
    counted(bakery, current.first, count=40)
    counted(bakery, previous.first, count=30)
    counted(bakery, current.first, Event.CALL, count=3)
    counted(bakery, current.first, Event.DIRECTIONS, count=4)
    counted(bakery, previous.first, Event.CALL, count=14)
    request_at(bakery, current.starts)
    request_at(bakery, current.starts)
    admin_login(client, baker)

    page = client.get(DASHBOARD).content.decode()

    text = panel(page, bakery)
    # 10 + 20 + … + 70 product views and 40 on the shop's page; 3 + 30 last month.
    assert figures(page, bakery) == ["320 33", "7 14", "2 0"]
    # The direction of a change is written, not only shown by an arrow or a colour.
    assert "Up by 287, or 870 %" in text
    assert "Down by 7, or 50 %" in text
    assert "Order requests received 2 0 ▲ Up by 2 " in text
    top = re.findall(r"(Cramique|Tarte|Pain gris|Flan|Éclair|Croissant|Baguette) (\d+) (\d+)", text)
    assert top == [
        ("Cramique", "70", "3"),
        ("Tarte", "60", "0"),
        ("Pain gris", "50", "0"),
        ("Flan", "40", "0"),
        ("Éclair", "30", "0"),
    ]
    assert reverse("wagtailsnippets_products_product:edit", args=[products["Cramique"].pk]) in page


@pytest.mark.dated
def test_the_florists_numbers_never_appear_on_the_bakers_home(
    client, baker, bakery, florist, flower_shop
):
    current, _previous = compared_periods(timezone.localdate())
    peonies = builders.product(flower_shop, "Bouquet de pivoines")
    counted(flower_shop, current.first, count=777)
    counted(flower_shop, current.first, count=555, product=peonies)
    counted(flower_shop, current.first, Event.CALL, count=333)
    request_at(flower_shop, current.starts)
    counted(bakery, current.first, count=12)
    admin_login(client, baker)

    page = client.get(DASHBOARD).content.decode()

    assert figures(page, bakery) == ["12 0", "0 0", "0 0"]
    assert re.findall(r'id="numbers-(\d+)-content"', page) == [str(bakery.pk)]
    for florists in ["777", "555", "333", "1,332", "Bouquet de pivoines"]:
        assert florists not in panel(page, bakery)
    assert "Fleurs de Lys" not in page and "Bouquet de pivoines" not in page

    # And the other way round: the florist sees its own numbers.
    admin_login(client, florist)
    page = client.get(DASHBOARD).content.decode()
    assert figures(page, flower_shop) == ["1,332 0", "333 0", "1 0"]
    assert re.findall(r'id="numbers-(\d+)-content"', page) == [str(flower_shop.pk)]


def test_a_merchant_of_two_shops_has_a_panel_for_each(client, baker, bakery, flower_shop):
    ShopMembership.objects.create(user=baker, shop=flower_shop)
    admin_login(client, baker)

    page = client.get(DASHBOARD).content.decode()

    assert "Your numbers: Boulangerie Dupont" in page
    assert "Your numbers: Fleurs de Lys" in page


def test_the_city_editor_has_the_reports_not_a_numbers_panel(client, city_editor, bakery):
    admin_login(client, city_editor)

    page = client.get(DASHBOARD).content.decode()

    assert f'id="numbers-{bakery.pk}' not in page
    assert "Your numbers" not in page


def test_the_numbers_cost_the_same_queries_for_one_product_or_forty_and_one_day_or_sixty(
    client, baker, bakery
):
    today = timezone.localdate()
    counted(bakery, today, count=3, product=builders.product(bakery))
    request_at(bakery, timezone.now())
    admin_login(client, baker)
    client.get(DASHBOARD)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(DASHBOARD).status_code == 200
        return len(captured)

    few = queries()
    products = [builders.product(bakery) for _ in range(39)]
    for days in range(1, 60):
        day = today - timedelta(days=days)
        counted(bakery, day, count=days)
        counted(bakery, day, Event.WEBSITE, count=1)
        for product in products[: days % 10 + 1]:
            counted(bakery, day, count=2, product=product)
        request_at(bakery, timezone.now() - timedelta(days=days))
    assert queries() == few
