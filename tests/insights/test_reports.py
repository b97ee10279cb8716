"""The city's reports: each number against data seeded here and counted by hand, the
commission's rounding, the exports, the charts, and that no merchant ever reads them."""

import csv
import io
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from wagtail.users.models import UserProfile

from insights import charts
from insights.filters import (
    AudienceFilterSet,
    CommissionFilterSet,
    Period,
    RequestsFilterSet,
    SearchesFilterSet,
    ShopsFilterSet,
    last_weeks,
)
from insights.models import DailyCount, Event
from insights.reports import (
    audience_by_shop,
    audience_by_week,
    audience_numbers,
    commission_lines,
    completed_requests,
    describe_shop,
    duration_text,
    register_statistics_menu,
    request_numbers,
    search_numbers,
    shops_overview,
    shops_summary,
)
from insights.reports.numbers import week_label
from insights.reports.views import trend_chart
from merchants.models import MerchantPage, ShopGalleryImage
from orders.models import Fulfilment, OrderRequest, Status, StatusChange
from products.models import Product
from search.models import SearchRecord

from .. import builders
from ..builders import admin_login, order_request

pytestmark = pytest.mark.django_db

REPORTS = ["shops", "requests", "audience", "searches", "commission"]
MARCH = Period(date(2026, 3, 2), date(2026, 3, 18))  # three weeks, from a Monday
NOW = timezone.make_aware(datetime(2026, 3, 18, 12, 0))  # a Wednesday, in the town's time


@pytest.fixture(autouse=True)
def english():
    """The numbers' labels in the source language (the town's is French)."""
    with translation.override("en"):
        yield


def at(month, day, hour=10, minute=0):
    """A moment of 2026 in the town's time zone (Europe/Brussels)."""
    return timezone.make_aware(datetime(2026, month, day, hour, minute))


def period_data(period):
    return QueryDict(f"start={period.start.isoformat()}&end={period.end.isoformat()}")


def request_at(shop, created, answers=(), lines=(("Pain", "2.00", 1),), **fields):
    """A request received at `created`, then given each (status, moment) of `answers`."""
    request = order_request(shop, status=answers[-1][0] if answers else Status.NEW, lines=lines)
    OrderRequest.objects.filter(pk=request.pk).update(created_at=created, **fields)
    StatusChange.objects.filter(request=request).update(at=created)
    for status, moment in answers:
        change = StatusChange.objects.create(request=request, status=status)
        StatusChange.objects.filter(pk=change.pk).update(at=moment)
    return request


def bookshop():
    return builders.shop(
        "Librairie du Parc",
        categories=[builders.category("Librairie", "📚"), builders.category("Fleuriste", "💐")],
    )


# The period ------------------------------------------------------------------------------


def test_default_period_is_the_last_twelve_weeks_from_a_monday():
    period = RequestsFilterSet(QueryDict(), today=date(2026, 3, 18)).period
    assert period == Period(date(2025, 12, 29), date(2026, 3, 18))
    assert len(period.weeks()) == 12
    assert period.weeks()[0] == date(2025, 12, 29)


def test_commission_defaults_to_last_month_and_this_one():
    period = CommissionFilterSet(QueryDict(), today=date(2026, 3, 18)).period
    assert period == Period(date(2026, 2, 1), date(2026, 3, 18))


def test_a_default_is_not_an_active_filter():
    filters = RequestsFilterSet(QueryDict(), today=date(2026, 3, 18))
    assert filters.is_valid()
    # Wagtail lists the changed fields as active filters, with a button to clear each.
    assert filters.form.changed_data == []


def test_a_period_that_ends_before_it_starts_is_refused_and_the_default_applies():
    filters = RequestsFilterSet(
        QueryDict("start=2026-03-10&end=2026-03-01"), today=date(2026, 3, 18)
    )
    assert not filters.is_valid()
    assert "end" in filters.form.errors
    assert filters.period == last_weeks(date(2026, 3, 18))


def test_period_bounds_are_midnights_in_the_town():
    starts, ends = MARCH.bounds
    assert starts == at(3, 2, 0)
    assert ends == at(3, 19, 0)  # the last day is included
    assert MARCH.months() == [date(2026, 3, 1)]


# Shops -----------------------------------------------------------------------------------


@pytest.fixture
def shops(bakery, flower_shop, baker):
    """The bakery changed today; the florist 40 days ago; the bookshop has no hours; the
    grocer's page is old but one of its products changed 5 days ago."""
    now = timezone.now()
    builders.product(bakery, "Baguette")
    builders.product(bakery, "Pain caché", is_active=False)
    old = builders.product(bakery, "Pain d'hier")
    Product.objects.filter(pk=old.pk).update(updated_at=now - timedelta(days=100))
    ShopGalleryImage.objects.create(shop=bakery, image=builders.make_image(), alt_text="Vitrine")

    rose = builders.product(flower_shop, "Rose")
    Product.objects.filter(pk=rose.pk).update(updated_at=now - timedelta(days=90))
    MerchantPage.objects.filter(pk=flower_shop.pk).update(
        last_published_at=now - timedelta(days=40)
    )

    books = builders.shop("Librairie du Parc", hours=None)
    grocer = builders.shop("Épicerie Lemaire")
    MerchantPage.objects.filter(pk=grocer.pk).update(last_published_at=now - timedelta(days=60))
    builders.product(grocer, "Confiture")
    Product.objects.filter(shop=grocer).update(updated_at=now - timedelta(days=5))
    return {"bakery": bakery, "flower_shop": flower_shop, "books": books, "grocer": grocer}


def days_ago(now, days):
    return (timezone.localdate(now) - timezone.localdate(now - timedelta(days=days))).days


@pytest.mark.dated
def test_shops_report_tells_active_from_stale_with_their_last_change(shops):
    now = timezone.now()
    period = last_weeks(timezone.localdate())
    rows = {shop.title: describe_shop(shop, now) for shop in shops_overview(period, now)}
    assert list(rows) == [  # the stalest first
        "Fleurs de Lys",
        "Épicerie Lemaire",
        "Boulangerie Dupont",
        "Librairie du Parc",
    ]

    florist = rows["Fleurs de Lys"]
    assert not florist.is_active
    # Its page 40 days ago (its product 90), counted in the town's days (a change of the
    # clocks in between may make it 39 late in the evening).
    assert florist.days_since_change == days_ago(now, 40)
    assert florist.last_change_day == timezone.localdate(now - timedelta(days=40))
    assert florist.state == "Not updated"

    grocer = rows["Épicerie Lemaire"]
    assert grocer.is_active  # a product changed 5 days ago, though the page is 60 days old
    assert grocer.days_since_change == days_ago(now, 5)

    assert rows["Boulangerie Dupont"].is_active
    assert rows["Boulangerie Dupont"].days_since_change == 0


@pytest.mark.dated
def test_shops_report_counts_products_photos_and_hours(shops):
    now = timezone.now()
    rows = {s.title: s for s in shops_overview(last_weeks(timezone.localdate()), now)}
    bakery = rows["Boulangerie Dupont"]
    assert (bakery.product_count, bakery.shown_product_count, bakery.products_changed) == (3, 2, 2)
    assert bakery.has_photos and bakery.has_hours
    florist = rows["Fleurs de Lys"]
    # Its product changed 90 days ago, before the period.
    assert (florist.product_count, florist.products_changed) == (1, 0)
    assert not florist.has_photos and florist.has_hours
    books = rows["Librairie du Parc"]
    assert (books.product_count, books.has_photos, books.has_hours) == (0, False, False)


@pytest.mark.dated
def test_shops_report_says_who_to_contact(shops, baker):
    now = timezone.now()
    bakery = next(
        describe_shop(s, now)
        for s in shops_overview(last_weeks(timezone.localdate()), now)
        if s.pk == shops["bakery"].pk
    )
    assert bakery.members == [("boulanger", "boulanger@example.org")]
    assert bakery.order_email == "commandes@boulangerie-dupont.example"
    assert bakery.members_text == "boulanger <boulanger@example.org>"


@pytest.mark.dated
def test_shops_summary_and_state_filter(shops):
    now = timezone.now()
    period = last_weeks(timezone.localdate())
    assert shops_summary(shops_overview(period, now)) == {
        "shops": 4,
        "active": 3,
        "stale": 1,
        "without_photos": 3,
        "without_hours": 1,
    }
    for state, expected in [
        (ShopsFilterSet.STALE, {"Fleurs de Lys"}),
        (ShopsFilterSet.NO_HOURS, {"Librairie du Parc"}),
        (ShopsFilterSet.NO_PHOTOS, {"Fleurs de Lys", "Librairie du Parc", "Épicerie Lemaire"}),
    ]:
        filters = ShopsFilterSet(QueryDict(f"state={state}"))
        shown = filters.filter_queryset(shops_overview(period, now))
        assert {shop.title for shop in shown} == expected, state


@pytest.mark.dated
def test_a_shop_never_published_and_without_products_is_not_active(db):
    draft = builders.shop("Nouvelle boutique", publish=False)
    now = timezone.now()
    (shop,) = shops_overview(last_weeks(timezone.localdate()), now)
    shop = describe_shop(shop, now)
    assert (shop.pk, shop.is_active, shop.last_change_day) == (draft.pk, False, None)
    assert shop.published == "Draft"


@pytest.mark.dated
def test_stale_threshold_follows_the_setting(shops, settings):
    settings.PORTAL_STALE_AFTER_DAYS = 50
    now = timezone.now()
    rows = {s.title: s for s in shops_overview(last_weeks(timezone.localdate()), now)}
    assert rows["Fleurs de Lys"].is_active  # 40 days < 50


# Requests --------------------------------------------------------------------------------


@pytest.fixture
def march_requests(bakery, flower_shop):
    return [
        # The bakery: answered in 1 hour, in 26 hours (late), not yet (late), not yet (1 hour old).
        request_at(
            bakery,
            at(3, 2, 10),
            [(Status.ACCEPTED, at(3, 2, 11)), (Status.COMPLETED, at(3, 5, 9))],
        ),
        request_at(bakery, at(3, 3, 10), [(Status.DECLINED, at(3, 4, 12))], fulfilment="delivery"),
        request_at(bakery, at(3, 10, 9)),
        request_at(bakery, at(3, 18, 11)),
        # The florist: answered in 30 minutes; cancelled by the resident after 10 minutes.
        request_at(
            flower_shop,
            at(3, 9, 10),
            [(Status.ACCEPTED, at(3, 9, 10, 30))],
            fulfilment="delivery",
        ),
        request_at(flower_shop, at(3, 11, 10), [(Status.CANCELLED, at(3, 11, 10, 10))]),
        # Before the period.
        request_at(flower_shop, at(2, 20, 10), [(Status.DECLINED, at(2, 20, 11))]),
    ]


def march_report():
    requests = RequestsFilterSet(period_data(MARCH)).filter_queryset(OrderRequest.objects.all())
    return request_numbers(requests, MARCH, now=NOW)


def test_expired_requests_count_per_shop_and_are_no_answer(bakery, flower_shop):
    request_at(bakery, at(3, 2, 10), [(Status.EXPIRED, at(3, 5, 10, 5))])
    request_at(bakery, at(3, 3, 10), [(Status.ACCEPTED, at(3, 3, 11))])
    request_at(flower_shop, at(3, 4, 10), [(Status.EXPIRED, at(3, 7, 10, 5))])
    report = march_report()
    bakery_numbers, florist_numbers = report.by_shop
    assert (bakery_numbers.expired, florist_numbers.expired, report.total.expired) == (1, 1, 2)
    # The expiry is not the shop's answer: only the acceptance's hour counts, and the
    # expired requests were left unanswered for more than a day.
    assert bakery_numbers.median_answer == timedelta(hours=1)
    assert florist_numbers.median_answer is None
    assert (bakery_numbers.late, florist_numbers.late) == (1, 1)


def test_requests_per_shop_by_status_and_fulfilment(march_requests):
    bakery, florist = march_report().by_shop  # most requests first
    assert (bakery.label, bakery.received, florist.label, florist.received) == (
        "Boulangerie Dupont",
        4,
        "Fleurs de Lys",
        2,
    )
    assert bakery.statuses[Status.COMPLETED] == 1
    assert bakery.statuses[Status.DECLINED] == 1
    assert bakery.statuses[Status.NEW] == 2
    assert (bakery.pickup, bakery.delivery) == (3, 1)
    assert florist.statuses[Status.ACCEPTED] == 1
    assert florist.statuses[Status.CANCELLED] == 1
    assert (florist.pickup, florist.delivery) == (1, 1)


def test_grouped_pick_ups_and_courier_deliveries_are_counted_apart(bakery, flower_shop):
    request_at(bakery, at(3, 2, 10), fulfilment=Fulfilment.COLLECTION)
    request_at(bakery, at(3, 3, 10), fulfilment=Fulfilment.COLLECTION)
    request_at(bakery, at(3, 4, 10), fulfilment=Fulfilment.COURIER)
    request_at(flower_shop, at(3, 5, 10), fulfilment=Fulfilment.COURIER)
    request_at(flower_shop, at(3, 6, 10), fulfilment=Fulfilment.PICKUP)
    report = march_report()
    bakery_numbers, florist_numbers = report.by_shop
    counts = lambda n: (n.pickup, n.delivery, n.collection, n.courier)  # noqa: E731
    assert counts(bakery_numbers) == (0, 0, 2, 1)
    assert counts(florist_numbers) == (1, 0, 0, 1)
    assert counts(report.total) == (1, 0, 2, 2)
    week = next(n for n in report.by_week if n.key == date(2026, 3, 2))
    assert counts(week) == (1, 0, 2, 2)


def test_median_answer_time_declined_share_and_late_requests(march_requests):
    report = march_report()
    bakery, florist = report.by_shop
    # Answers after 1 h and 26 h: the median is halfway, 13.5 h.
    assert bakery.median_answer == timedelta(hours=13, minutes=30)
    assert bakery.median_answer_hours == Decimal("13.5")
    assert bakery.declined_share == Decimal("25.0")  # 1 of 4
    assert bakery.late == 2  # answered after 26 h; still new after 8 days
    # The resident's cancellation is no answer of the shop, and came in time.
    assert florist.median_answer == timedelta(minutes=30)
    assert florist.declined_share == Decimal("0.0")
    assert florist.late == 0
    # All shops: answers after 30 min, 1 h, 26 h → 1 h; 1 declined of 6 → 16.7 %.
    assert report.total.received == 6
    assert report.total.median_answer == timedelta(hours=1)
    assert report.total.declined_share == Decimal("16.7")
    assert report.total.late == 2


def test_requests_per_week_include_every_week(march_requests):
    weeks = march_report().by_week
    assert [(n.key, n.received) for n in weeks] == [
        (date(2026, 3, 2), 2),
        (date(2026, 3, 9), 3),
        (date(2026, 3, 16), 1),
    ]
    assert weeks[0].statuses[Status.DECLINED] == 1
    assert (weeks[1].pickup, weeks[1].delivery) == (2, 1)


def test_the_week_in_progress_is_labelled_with_its_days_counted(march_requests):
    # MARCH ends on Wednesday 18 March: its last week so far is Monday to Wednesday, and its
    # one request is no fall from the week before.
    weeks = march_report().by_week
    assert [(n.label, n.days) for n in weeks] == [
        ("2 Mar 2026", 7),
        ("9 Mar 2026", 7),
        ("16 Mar 2026 (3 days of 7)", 3),
    ]


def test_a_period_that_starts_in_the_middle_of_a_week_labels_that_week_too(db):
    period = Period(date(2026, 3, 5), date(2026, 3, 15))  # Thursday to Sunday
    assert [period.days_of_week(week) for week in period.weeks()] == [4, 7]
    weeks = request_numbers(OrderRequest.objects.none(), period, now=NOW).by_week
    assert [n.label for n in weeks] == ["2 Mar 2026 (4 days of 7)", "9 Mar 2026"]


def test_whole_weeks_are_not_labelled(db):
    period = Period(date(2026, 3, 2), date(2026, 3, 15))  # Monday to Sunday
    weeks = request_numbers(OrderRequest.objects.none(), period, now=NOW).by_week
    assert [(n.label, n.days) for n in weeks] == [("2 Mar 2026", 7), ("9 Mar 2026", 7)]


def test_a_partial_week_is_labelled_in_french_too():
    with translation.override("fr"):
        assert week_label(date(2026, 11, 30), 3).endswith(" (3 jours sur 7)")
        assert week_label(date(2026, 11, 30), 1).endswith(" (1 jour sur 7)")


def test_durations_read_as_a_person_says_them():
    assert duration_text(timedelta(minutes=45)) == "45 min"
    assert duration_text(timedelta(hours=3, minutes=5)) == "3 h 05 min"
    assert duration_text(timedelta(days=2, hours=4, minutes=10)) == "2 d 4 h"


# Audience --------------------------------------------------------------------------------


@pytest.fixture
def march_counts(bakery, flower_shop):
    books = bookshop()  # in two categories, no neighbourhood
    baguette = builders.product(bakery, "Baguette")
    rows = [
        (bakery, None, Event.VIEW, date(2026, 3, 2), 10),
        (bakery, None, Event.VIEW, date(2026, 3, 10), 4),
        (bakery, None, Event.CALL, date(2026, 3, 3), 2),
        (bakery, None, Event.DIRECTIONS, date(2026, 3, 12), 1),
        (bakery, baguette, Event.VIEW, date(2026, 3, 3), 5),
        (bakery, baguette, Event.SHARE, date(2026, 3, 4), 1),
        (flower_shop, None, Event.VIEW, date(2026, 3, 16), 3),
        (flower_shop, None, Event.SHARE, date(2026, 3, 16), 4),
        (flower_shop, None, Event.WEBSITE, date(2026, 3, 17), 2),
        (books, None, Event.VIEW, date(2026, 3, 11), 7),
        (bakery, None, Event.VIEW, date(2026, 2, 20), 100),  # before the period
    ]
    for shop, product, event, day, count in rows:
        DailyCount.objects.create(shop=shop, product=product, event=event, day=day, count=count)
    return books


def march_daily_counts():
    return AudienceFilterSet(period_data(MARCH)).filter_queryset(DailyCount.objects.all())


def test_audience_per_shop(march_counts):
    bakery, books, florist = audience_numbers(audience_by_shop(march_daily_counts()), "shop")
    assert (bakery.label, bakery.shop_views, bakery.product_views, bakery.views) == (
        "Boulangerie Dupont",
        14,
        5,
        19,
    )
    assert bakery.intents == {"call": 2, "directions": 1, "website": 0, "social": 0, "share": 1}
    assert bakery.intent_total == 4
    assert (books.label, books.views, books.intent_total) == ("Librairie du Parc", 7, 0)
    assert (florist.views, florist.intents["share"], florist.intents["website"]) == (3, 4, 2)
    assert florist.intent_total == 6


def test_audience_per_category_counts_a_shop_in_each_of_its_categories(march_counts):
    rows = audience_numbers(audience_by_shop(march_daily_counts()), "category")
    assert [(n.label, n.views, n.intent_total) for n in rows] == [
        ("Boulangerie", 19, 4),
        ("Fleuriste", 10, 6),  # the florist's 3 and the bookshop's 7
        ("Librairie", 7, 0),
    ]


def test_audience_per_neighbourhood(march_counts):
    rows = audience_numbers(audience_by_shop(march_daily_counts()), "neighbourhood")
    assert [(n.label, n.views) for n in rows] == [
        ("Centre", 19),
        ("No neighbourhood", 7),
        ("Gare", 3),
    ]


def test_audience_per_week(march_counts):
    assert audience_by_week(march_daily_counts(), MARCH) == [
        (date(2026, 3, 2), 15, 3),
        (date(2026, 3, 9), 11, 1),
        (date(2026, 3, 16), 3, 6),
    ]


# Searches --------------------------------------------------------------------------------


@pytest.fixture
def march_searches(db):
    for query, day, hits, results in [
        ("pain", date(2026, 3, 3), 5, 4),
        ("pain", date(2026, 3, 10), 3, 6),
        ("gluten", date(2026, 3, 4), 4, 0),
        ("gluten", date(2026, 3, 12), 1, 2),
        ("velo", date(2026, 3, 5), 2, 0),
        ("pain", date(2026, 2, 1), 50, 4),  # before the period
    ]:
        SearchRecord.objects.create(query=query, day=day, hits=hits, results=results)


def test_top_searches(march_searches):
    records = SearchesFilterSet(period_data(MARCH)).filter_queryset(SearchRecord.objects.all())
    assert list(search_numbers(records)) == [
        {"query": "pain", "searches": 8, "days": 2, "last_results": 6},
        {"query": "gluten", "searches": 5, "days": 2, "last_results": 2},
        {"query": "velo", "searches": 2, "days": 1, "last_results": 0},
    ]


def test_searches_that_found_nothing(march_searches):
    data = period_data(MARCH).copy()
    data["found"] = SearchesFilterSet.NO_RESULT
    records = SearchesFilterSet(data).filter_queryset(SearchRecord.objects.all())
    assert [(r["query"], r["searches"]) for r in search_numbers(records)] == [
        ("gluten", 4),
        ("velo", 2),
    ]


# Commission ------------------------------------------------------------------------------


def completed(shop, created, done, goods, rate="10.00", **fields):
    return request_at(
        shop,
        created,
        [(Status.ACCEPTED, created), (Status.COMPLETED, done)],
        lines=((f"Article à {goods}", goods, 1),),
        commission_rate=Decimal(rate),
        **fields,
    )


def commission_for(period):
    requests = CommissionFilterSet(period_data(period)).filter_queryset(completed_requests())
    return commission_lines(requests)


def test_commission_is_rounded_per_request_then_added(bakery):
    for day in (5, 6, 7):
        completed(bakery, at(3, day), at(3, day, 16), "0.25")
    (line,), total = commission_for(MARCH)
    # 0.25 × 10 % = 0.025 → 0.03 half up, three times: 0.09. Rounding the sum once (0.075)
    # would give 0.08, which no request of the shop shows.
    assert line.commission == Decimal("0.09")
    assert line.goods == Decimal("0.75")
    assert total.commission == Decimal("0.09")


def test_half_a_cent_rounds_up_on_the_final_amount(bakery):
    completed(bakery, at(3, 5), at(3, 6), "20.00", final_amount=Decimal("18.45"))
    (line,), _total = commission_for(MARCH)
    # The final amount, not the 20.00 asked: 18.45 × 10 % = 1.845 → 1.85 (not 1.84, the
    # banker's rounding of Python's default context).
    assert line.goods == Decimal("18.45")
    assert line.commission == Decimal("1.85")


def test_commission_per_shop_and_month_at_each_requests_rate(bakery, flower_shop):
    MerchantPage.objects.filter(pk=bakery.pk).update(
        legal_name="Dupont SRL", company_number="BE 0123.456.789"
    )
    for day in (5, 6, 7):
        completed(bakery, at(3, day), at(3, day, 16), "0.25")
    completed(
        bakery,
        at(3, 10),
        at(3, 11),
        "20.00",
        final_amount=Decimal("18.45"),
        delivery_fee=Decimal("5.00"),
        fulfilment="delivery",
    )
    # Sent in February, completed at 00:30 on 1 March in the town (still February in UTC).
    completed(bakery, at(2, 25), at(3, 1, 0, 30), "12.34", rate="5.50")
    completed(flower_shop, at(3, 9), at(3, 10), "45.00", rate="0.00")  # a free portal
    completed(flower_shop, at(2, 26), at(2, 27), "10.00")
    # Not completed: no commission.
    request_at(bakery, at(3, 12), [(Status.ACCEPTED, at(3, 12, 11))])
    request_at(bakery, at(3, 12), [(Status.DECLINED, at(3, 12, 11))])

    lines, total = commission_for(Period(date(2026, 2, 1), date(2026, 3, 31)))
    assert [
        (
            line.month_label,
            line.shop,
            line.requests,
            line.goods,
            line.fees,
            line.rates,
            line.commission,
        )
        for line in lines
    ] == [
        ("2026-02", "Fleurs de Lys", 1, Decimal("10.00"), Decimal("0.00"), "10 %", Decimal("1.00")),
        # 3 × 0.03 + 1.85 (18.45 × 10 %) + 0.68 (12.34 × 5.5 % = 0.6787)
        (
            "2026-03",
            "Boulangerie Dupont",
            5,
            Decimal("31.54"),
            Decimal("5.00"),
            "5.5 %; 10 %",
            Decimal("2.62"),
        ),
        ("2026-03", "Fleurs de Lys", 1, Decimal("45.00"), Decimal("0.00"), "0 %", Decimal("0.00")),
    ]
    assert lines[1].legal_name == "Dupont SRL"
    assert lines[1].company_number == "BE 0123.456.789"
    assert (total.requests, total.goods, total.fees, total.commission) == (
        7,
        Decimal("86.54"),
        Decimal("5.00"),
        Decimal("3.62"),
    )


def test_the_couriers_fee_is_apart_and_outside_the_commission(bakery):
    completed(
        bakery, at(3, 5), at(3, 6), "20.00", delivery_fee=Decimal("4.00"), fulfilment="delivery"
    )
    completed(
        bakery, at(3, 5), at(3, 6), "30.00", delivery_fee=Decimal("6.50"), fulfilment="courier"
    )
    completed(bakery, at(3, 5), at(3, 6), "10.00", fulfilment="collection")
    (line,), total = commission_for(MARCH)
    assert (line.requests, line.collection_requests, line.courier_requests) == (3, 1, 1)
    assert (line.goods, line.fees, line.courier_fees) == (
        Decimal("60.00"),
        Decimal("4.00"),
        Decimal("6.50"),
    )
    assert line.commission == Decimal("6.00")  # 10 % of the goods only
    assert (total.courier_requests, total.courier_fees) == (1, Decimal("6.50"))


def test_commission_period_is_the_month_of_completion(bakery):
    completed(bakery, at(2, 25), at(3, 1, 0, 30), "12.34")
    assert commission_for(Period(date(2026, 2, 1), date(2026, 2, 28)))[0] == []
    (line,), _total = commission_for(Period(date(2026, 3, 1), date(2026, 3, 31)))
    assert line.month == date(2026, 3, 1)


# Charts ----------------------------------------------------------------------------------


def test_line_chart_is_an_accessible_image_with_text_labels():
    svg = charts.line_chart(
        "trend",
        "Requests each week",
        "Weeks from 2 Mar to 16 Mar.",
        ["2 Mar", "9 Mar", "16 Mar"],
        [charts.Series("Requests", [2, 3, 1]), charts.Series("Completed", [1, 0, 0], dashed=True)],
    )
    assert 'role="img"' in svg
    assert 'aria-labelledby="trend-title trend-desc"' in svg
    assert '<title id="trend-title">Requests each week</title>' in svg
    assert '<desc id="trend-desc">Weeks from 2 Mar to 16 Mar.</desc>' in svg
    assert ">9 Mar</text>" in svg and ">Completed</text>" in svg  # axis and legend as text
    assert 'stroke-dasharray="6 4"' in svg  # told apart without colour too
    assert "<script" not in svg


def march_trend(period=MARCH, first=(2, 3, 1), second=(1, 0, 0)):
    return trend_chart(
        "trend",
        "Requests each week",
        period,
        period.weeks(),
        ("Requests", list(first)),
        ("Completed", list(second)),
    )


def hollow_markers(svg):
    """The tooltips of the markers drawn white inside with a coloured outline."""
    return re.findall(r'<(?:circle|rect) [^>]*fill="#ffffff" stroke=[^>]*><title>([^<]*)<', svg)


def test_only_the_partial_week_has_an_asterisk_and_a_hollow_marker():
    chart = march_trend()  # MARCH ends on a Wednesday
    assert ">16 Mar*</text>" in chart.svg
    assert ">2 Mar</text>" in chart.svg and ">9 Mar</text>" in chart.svg
    # Told apart by its shape, not by colour: one hollow marker per line, at that week only.
    assert hollow_markers(chart.svg) == ["16 Mar*: 1 Requests", "16 Mar*: 0 Completed"]
    assert chart.notes == ("* Partial week of 16 Mar 2026: 3 days of 7 counted.",)
    # The note is in the description that screen readers announce, and in the table.
    desc = re.search(r"<desc [^>]*>([^<]*)</desc>", chart.svg).group(1)
    assert desc.endswith(" * Partial week of 16 Mar 2026: 3 days of 7 counted.")
    assert [row[0] for row in chart.rows] == [
        "2 Mar 2026",
        "9 Mar 2026",
        "16 Mar 2026 (3 days of 7)",
    ]


def test_a_trend_of_whole_weeks_has_no_asterisk_hollow_marker_nor_note():
    chart = march_trend(Period(date(2026, 3, 2), date(2026, 3, 15)), (2, 3), (1, 0))
    assert "*" not in chart.svg
    assert hollow_markers(chart.svg) == []
    assert chart.notes == ()


def test_the_partial_week_note_is_in_french_for_a_french_reader():
    with translation.override("fr"):
        chart = march_trend()
    assert chart.notes[0].startswith("* Semaine incomplète du 16 ")
    assert chart.notes[0].endswith(" : 3 jours sur 7 comptés.")


def test_the_last_point_keeps_its_label_when_labels_are_thinned():
    labels = [f"W{number}" for number in range(20)]  # more than 12: one label in two
    svg = charts.line_chart(
        "trend", "Weeks", "", labels, [charts.Series("Requests", [1] * 20)], partial={19}
    )
    assert ">W19*</text>" in svg
    assert ">W18</text>" not in svg and ">W17</text>" in svg


def test_bar_chart_escapes_names_and_writes_values():
    svg = charts.bar_chart("top", "Top shops", "Chez <b>Lulu</b>: 12", [("Chez <b>Lulu</b>", 12)])
    assert "<b>" not in svg
    assert "Chez &lt;b&gt;Lulu&lt;/b&gt;" in svg
    assert ">12</text>" in svg


@pytest.mark.parametrize("colour", [charts.BLUE, charts.ORANGE, charts.TEXT, charts.AXIS])
def test_chart_colours_contrast_with_their_white_background(colour):
    def luminance(hex_colour):
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    assert (1.05) / (luminance(colour) + 0.05) >= 4.5


def test_value_axis_has_round_steps():
    assert charts.nice_scale(0) == (4, 1)
    assert charts.nice_scale(13) == (15, 5)
    assert charts.nice_scale(180) == (200, 50)


# Pages, exports and who may read them ------------------------------------------------------


@pytest.fixture
def city(client, city_editor):
    admin_login(client, city_editor)
    return client


def urls_of(name):
    page = reverse(f"insights_reports:{name}")
    return [
        page,
        reverse(f"insights_reports:{name}_results"),
        page + "?export=csv",
        page + "?export=xlsx",
    ]


@pytest.mark.parametrize("name", REPORTS)
def test_city_editor_reads_each_report_and_its_exports(city, bakery, name):
    order_request(bakery)
    for url in urls_of(name):
        assert city.get(url).status_code == 200, url


@pytest.mark.parametrize("name", REPORTS)
def test_merchant_never_reads_a_report_nor_an_export(client, baker, name):
    admin_login(client, baker)
    for url in urls_of(name):
        response = client.get(url)
        # Wagtail sends a user without the permission back to the dashboard, with nothing.
        assert response.status_code == 302, url
        assert response["Location"] == reverse("wagtailadmin_home")


@pytest.mark.parametrize("name", REPORTS)
def test_visitor_is_sent_to_log_in(client, name):
    response = client.get(reverse(f"insights_reports:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_statistics_menu_is_the_citys_only(baker, city_editor):
    menu = register_statistics_menu()
    request = RequestFactory().get("/admin/")
    request.user = city_editor
    assert menu.is_shown(request)
    assert {item.name for item in menu.menu.menu_items_for_request(request)} >= {
        "statistics-shops",
        "statistics-commission",
    }
    request.user = baker
    assert not menu.is_shown(request)  # not even an empty submenu


@pytest.mark.dated
def test_commission_csv_has_the_lines_and_headings_in_the_readers_language(city, bakery):
    moment = timezone.now() - timedelta(minutes=5)
    completed(bakery, moment, moment, "18.45", rate="10.00")
    response = city.get(reverse("insights_reports:commission") + "?export=csv")
    assert response["Content-Disposition"].startswith('attachment; filename="commission-')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "Month",
        "Shop",
        "Legal name",
        "Company number",
        "Completed requests",
        "Goods (EUR)",
        "Delivery fees (EUR)",
        "Commission rate",
        "Commission (EUR)",
        "Of which grouped pick-ups",
        "Of which courier deliveries",
        "Courier's fees (EUR)",
    ]
    assert rows[1] == [
        f"{timezone.localtime(moment):%Y-%m}",
        "Boulangerie Dupont",
        "",
        "",
        "1",
        "18.45",
        "0.00",
        "10 %",
        "1.85",
        "0",
        "0",
        "0.00",
    ]


@pytest.mark.dated
def test_requests_xlsx_per_week(city, bakery):
    sent = timezone.now() - timedelta(minutes=5)
    request_at(bakery, sent)
    response = city.get(reverse("insights_reports:requests") + "?group=week&export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("Week of", "Requests received", "New")
    assert len(rows) == 1 + 12  # every week of the default period
    today = timezone.localdate()
    assert rows[-1][0] == today - timedelta(days=today.weekday())  # a date to sort and chart
    # Five minutes ago is last week's Sunday evening when this is Monday 00:03 in the town.
    week = timezone.localdate(sent) - timedelta(days=timezone.localdate(sent).weekday())
    (row,) = [row for row in rows[1:] if row[0] == week]
    assert row[1] == 1 and row[2] == 1
    assert sum(row[1] for row in rows[1:]) == 1


def test_weekly_requests_page_labels_the_partial_week(city, march_requests):
    content = city.get(
        reverse("insights_reports:requests"),
        {"start": "2026-03-02", "end": "2026-03-18", "group": "week"},
    ).content.decode()
    # In the requests-by-week table and in the chart's table; whole weeks unlabelled.
    assert content.count('<th scope="row">16 Mar 2026 (3 days of 7)</th>') == 2
    assert content.count('<th scope="row">9 Mar 2026</th>') == 2
    assert ">16 Mar*</text>" in content
    assert ">* Partial week of 16 Mar 2026: 3 days of 7 counted.</p>" in content


def test_audience_trend_labels_the_partial_week(city, march_counts):
    content = city.get(
        reverse("insights_reports:audience"), {"start": "2026-03-02", "end": "2026-03-18"}
    ).content.decode()
    assert ">16 Mar*</text>" in content
    assert ">* Partial week of 16 Mar 2026: 3 days of 7 counted.</p>" in content


def test_weekly_export_keeps_the_monday_as_a_date_and_counts_the_days(city, march_requests):
    url = reverse("insights_reports:requests")
    data = {"start": "2026-03-02", "end": "2026-03-18", "group": "week"}
    rows = list(csv.reader(io.StringIO(city.get(url, {**data, "export": "csv"}).content.decode())))
    assert (rows[0][0], rows[0][1], rows[0][-1]) == ("Week of", "Requests received", "Days counted")
    assert [(row[0], row[1], row[-1]) for row in rows[1:]] == [
        ("2026-03-02", "2", "7"),
        ("2026-03-09", "3", "7"),
        ("2026-03-16", "1", "3"),  # the Monday, not "16 Mar 2026 (3 days of 7)"
    ]
    response = city.get(url, {**data, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    *_, last = sheet.values
    assert (last[0], last[-1]) == (date(2026, 3, 16), 3)


def test_the_export_per_shop_has_no_days_column(city, march_requests):
    response = city.get(
        reverse("insights_reports:requests"),
        {"start": "2026-03-02", "end": "2026-03-18", "export": "csv"},
    )
    headings = next(csv.reader(io.StringIO(response.content.decode())))
    assert "Days counted" not in headings


@pytest.mark.dated
def test_report_page_shows_charts_and_their_numbers(city, bakery):
    request_at(bakery, timezone.now() - timedelta(hours=2))
    content = city.get(reverse("insights_reports:requests")).content.decode()
    assert content.count('role="img"') == 2  # the weekly trend, the top shops
    assert "The numbers of this chart" in content
    assert "Boulangerie Dupont" in content


@pytest.mark.dated
def test_a_wrong_date_is_reported_and_the_default_period_shown(city, bakery):
    response = city.get(reverse("insights_reports:requests") + "?start=2026-02-30")
    assert response.status_code == 200
    period = last_weeks(timezone.localdate())
    assert response.context["period"] == period
    assert "start" in response.context["filters"].form.errors


@pytest.mark.dated
def test_shops_page_lists_stale_shops_with_contacts(city, shops):
    content = city.get(reverse("insights_reports:shops") + "?state=stale").content.decode()
    assert "Fleurs de Lys" in content
    assert "commandes@fleurs-de-lys.example" in content
    assert "Boulangerie Dupont" not in content


# Query budget --------------------------------------------------------------------------------


# Upper bounds, so that a regression that adds even a constant few queries is noticed.
QUERY_BUDGETS = {"shops": 14, "requests": 11, "audience": 13, "searches": 13, "commission": 11}


def populate(count, first=0):
    """`count` shops, each with a product, a photo, two requests (one answered, one
    completed), daily counts and a search."""
    now = timezone.now()
    image = builders.make_image()
    for number in range(first, first + count):
        shop = builders.shop(f"Commerce {number:03d}", categories=[builders.category()])
        builders.product(shop)
        ShopGalleryImage.objects.create(shop=shop, image=image, alt_text="Vitrine")
        request_at(shop, now - timedelta(days=3), [(Status.ACCEPTED, now - timedelta(days=2))])
        completed(shop, now - timedelta(days=2), now - timedelta(days=1), "10.00")
        DailyCount.objects.create(
            shop=shop, event=Event.VIEW, day=timezone.localdate(), count=number + 1
        )
        SearchRecord.objects.create(query=f"recherche {number}", results=number)


def report_queries(client, name):
    url = reverse(f"insights_reports:{name}")
    assert client.get(url).status_code == 200  # warm-up
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", REPORTS)
def test_report_queries_do_not_grow_with_shops_and_requests(city, name):
    populate(3)
    with_3 = report_queries(city, name)
    populate(9, first=3)
    with_12 = report_queries(city, name)
    assert with_3 == with_12, f"{name}: {with_3} queries with 3 shops, {with_12} with 12"
    assert with_12 <= QUERY_BUDGETS[name], f"{name}: {with_12} queries"


def test_a_shop_name_is_never_a_formula_in_the_csv(city, bakery):
    bakery.title = '=HYPERLINK("http://evil.example/","x")'
    bakery.save_revision().publish()

    response = city.get(reverse("insights_reports:shops") + "?export=csv")

    cells = [cell for row in csv.reader(io.StringIO(response.content.decode())) for cell in row]
    assert '\'=HYPERLINK("http://evil.example/","x")' in cells
    assert not any(cell.startswith("=") for cell in cells)


def test_the_commission_month_is_the_towns_whatever_the_readers_time_zone(
    city, city_editor, bakery
):
    moment = timezone.make_aware(datetime(2026, 4, 1, 0, 30))  # in the town's time zone
    completed(bakery, moment, moment, "10.00", rate="10.00")
    profile = UserProfile.get_for_user(city_editor)
    profile.current_time_zone = "UTC"  # there it is still 31 March, 22:30
    profile.save()

    response = city.get(
        reverse("insights_reports:commission"),
        {"start": "2026-04-01", "end": "2026-04-30", "export": "csv"},
    )

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [row[:2] for row in rows[1:]] == [["2026-04", bakery.title]]


@pytest.mark.parametrize(
    "start, end", [("0001-01-01", ""), ("", "9999-12-31"), ("1990-01-01", "2030-01-01")]
)
def test_a_period_at_the_calendars_edges_is_refused_not_a_500(city, start, end):
    response = city.get(reverse("insights_reports:requests"), {"start": start, "end": end})

    assert response.status_code == 200
    assert "Choose a date between 2000 and next year." in response.content.decode()
