"""`manage.py seed_demo_history`: twelve weeks that every report and chart can show."""

import io
import re
import statistics
from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Min, Q, Sum
from django.utils import timezone
from wagtail.models import Site

from demo.history import KEY_PREFIX, SETTLED_AFTER, WEEKS, seed_history
from home.models import HomePage, PortalSettings
from insights.models import INTENTS, DailyCount, Event, NumbersPage
from merchants.models import MerchantPage
from orders.expiry import due, expires_at
from orders.models import Fulfilment, OrderRequest, Status, StatusChange
from products.models import Availability
from search.models import SearchRecord

from .. import builders

pytestmark = pytest.mark.django_db

ANSWERS = [Status.ACCEPTED, Status.DECLINED]


def history(**options):
    out = io.StringIO()
    call_command("seed_demo_history", force=True, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def demo_town(bakery, flower_shop, baker, florist):
    """Two shops with products and their merchants; the portal's rate is not the default,
    so that the history must read it."""
    for name in ["Pain de campagne", "Baguette", "Croissant", "Pain au chocolat", "Éclair"]:
        builders.product(bakery, name)
    for name in ["Bouquet de roses", "Tulipes", "Pivoines", "Orchidée"]:
        builders.product(flower_shop, name, price=Decimal("19.90"))
    builders.product(flower_shop, "Cactus", availability=Availability.OUT_OF_STOCK)
    portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    portal.commission_rate = Decimal("7.50")
    portal.save()
    return [bakery, flower_shop]


def snapshot():
    demo = OrderRequest.objects.filter(checkout__idempotency_key__startswith=KEY_PREFIX)
    return {
        "counts": list(
            DailyCount.objects.order_by("day", "event", "shop_id", "product_id").values_list(
                "day", "event", "shop_id", "product_id", "count"
            )
        ),
        "requests": sorted(
            demo.values_list("checkout__idempotency_key", "created_at", "status", "items_total")
        ),
        "changes": sorted(
            StatusChange.objects.filter(request__in=demo).values_list("request_id", "status", "at")
        ),
        "searches": sorted(SearchRecord.objects.values_list("day", "query", "hits", "results")),
    }


@pytest.mark.dated
def test_seed_demo_writes_twelve_weeks_of_views_and_intents_for_every_shop():
    output = io.StringIO()
    call_command("seed_demo", size="small", force=True, stdout=output)

    assert "12 weeks of history for 6 shops" in output.getvalue()
    page = NumbersPage.objects.get()
    assert (page.title, page.live) == ("Le portail en chiffres", True)
    assert page.get_parent().specific_class is HomePage
    today = timezone.localdate()
    shops = list(MerchantPage.objects.live())
    assert len(shops) == 6
    assert DailyCount.objects.aggregate(first=Min("day"))["first"] == today - timedelta(days=83)
    for shop in shops:
        counts = DailyCount.objects.filter(shop=shop)
        views = counts.filter(event=Event.VIEW, product__isnull=True).aggregate(n=Sum("count"))
        intents = counts.filter(event__in=INTENTS).aggregate(n=Sum("count"))
        # Every day of the twelve weeks has views; intents are a small share of them.
        assert counts.filter(event=Event.VIEW, product__isnull=True).count() >= 80, shop
        assert 0.03 < intents["n"] / views["n"] < 0.13, shop
        assert counts.filter(product__isnull=False).values("product").distinct().count() >= 3
        assert not counts.filter(product__isnull=False).exclude(product__shop=shop).exists()
    views = DailyCount.objects.filter(event=Event.VIEW)
    saturdays = views.filter(day__week_day=7).aggregate(n=Sum("count"))["n"]
    sundays = views.filter(day__week_day=1).aggregate(n=Sum("count"))["n"]
    assert saturdays > sundays * 1.4  # residents look before the weekend
    first_weeks = views.filter(day__lt=today - timedelta(weeks=8)).aggregate(n=Sum("count"))
    last_weeks = views.filter(day__gte=today - timedelta(weeks=4)).aggregate(n=Sum("count"))
    assert last_weeks["n"] > first_weeks["n"]  # the portal gains visitors


@pytest.mark.dated
def test_requests_have_lines_totals_the_portals_rate_and_a_believable_history(demo_town):
    output = history()

    now = timezone.now()
    demo = OrderRequest.objects.filter(checkout__idempotency_key__startswith=KEY_PREFIX)
    assert f"{demo.count()} order requests" in output
    # About 45 for this town; the counts are drawn, so the bound is loose.
    assert demo.count() >= 20
    # Keys nobody works out from a shop's id and a number (see demo.orders.demo_key).
    keys = demo.values_list("checkout__idempotency_key", flat=True)
    assert all(re.fullmatch(re.escape(KEY_PREFIX) + "[0-9a-f]{32}", key) for key in keys)
    assert set(demo.values_list("commission_rate", flat=True)) == {Decimal("7.50")}
    oldest = demo.aggregate(first=Min("created_at"))["first"]
    assert oldest.date() > timezone.localdate() - timedelta(weeks=WEEKS)
    # Spread over the weeks, not bunched (about 4 requests a week: an empty week is rare,
    # five are next to impossible).
    weeks = {
        timezone.localdate(at).isocalendar()[:2] for at in demo.values_list("created_at", flat=True)
    }
    assert len(weeks) >= 8

    # What the generator deals among the requests that have settled, whatever the day: each
    # rare outcome at least once, and never answered (so expired) exactly 3 % of them (at
    # least one); none of them is still new.
    settled = demo.filter(created_at__lte=now - SETTLED_AFTER)
    statuses = Counter(settled.values_list("status", flat=True))
    assert statuses[Status.COMPLETED] > settled.count() / 2
    for status in [Status.DECLINED, Status.CANCELLED, Status.NOT_COLLECTED]:
        assert statuses[status] > 0, status
    assert statuses[Status.EXPIRED] == max(1, round(settled.count() * 0.03))
    assert statuses[Status.NEW] == 0
    assert not settled.filter(status=Status.EXPIRED, history__status__in=ANSWERS).exists()

    delays = []
    for request in demo.prefetch_related("lines", "history"):
        assert request.items_total == sum(line.total for line in request.lines.all())
        assert request.lines.exists()
        if request.fulfilment == Fulfilment.PICKUP:
            assert request.delivery_fee == 0
        history_ = list(request.history.all())
        assert history_[0].status == Status.NEW and history_[0].at == request.created_at
        assert history_[-1].status == request.status
        assert [change.at for change in history_] == sorted(change.at for change in history_)
        if request.status == Status.COMPLETED:
            assert request.final_amount == request.items_total
        if request.status == Status.EXPIRED:
            # Expired by the portal's rule, within the hour the command runs in.
            due = expires_at(request.shop, request.created_at)
            assert due <= history_[-1].at < due + timedelta(hours=1)
            assert history_[-1].by is None
        answer = next((change for change in history_ if change.status in ANSWERS), None)
        if answer is not None:
            delays.append(answer.at - request.created_at)
    # Minutes to a day, or the next morning for a request sent at night.
    assert min(delays) >= timedelta(minutes=3)
    assert max(delays) < timedelta(hours=40)
    assert timedelta(minutes=10) < statistics.median(delays) < timedelta(hours=6)


def test_searches_include_popular_queries_and_some_that_found_nothing(demo_town):
    history()

    records = SearchRecord.objects.all()
    assert records.filter(query="pain", results__gt=0).exists()
    assert records.filter(query="sushi", results=0).exists()
    assert records.filter(query="velo electrique").exists()  # folded, as the search records it
    popular = records.filter(query="pain").aggregate(n=Sum("hits"))["n"]
    missed = records.filter(results=0).aggregate(n=Sum("hits"))["n"]
    assert popular > 0 and missed > 0


def test_the_public_numbers_page_is_created_once(demo_town, client):
    history()
    history(replace=True)

    page = NumbersPage.objects.get()
    assert client.get(page.url).status_code == 200


def test_a_second_run_adds_nothing(demo_town):
    history()
    before = snapshot()

    output = history()

    assert snapshot() == before
    assert "nothing added" in output
    assert NumbersPage.objects.count() == 1


def test_a_day_keeps_its_history_when_it_is_written_again_the_next_day(demo_town):
    today = timezone.make_aware(datetime(2027, 6, 16, 18, 20))
    seed_history(now=today)
    before = snapshot()

    seed_history(replace=True, now=today + timedelta(days=1))

    after = snapshot()
    yesterday = timezone.localdate(today) - timedelta(days=1)
    # A day that both windows cover, neither the first nor the last (partial) one.
    assert [c for c in after["counts"] if c[0] == yesterday] == [
        c for c in before["counts"] if c[0] == yesterday
    ]
    assert [r for r in after["searches"] if r[0] == yesterday] == [
        r for r in before["searches"] if r[0] == yesterday
    ]
    assert any(c[0] == yesterday for c in after["counts"])


@pytest.mark.dated
def test_the_same_seed_writes_the_same_history_and_replace_keeps_real_requests(demo_town):
    now = timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time()))
    now += timedelta(hours=15, minutes=7)
    real = builders.order_request(demo_town[0])
    seed_history(now=now)
    first = snapshot()

    seed_history(replace=True, now=now)

    assert snapshot()["counts"] == first["counts"]
    assert snapshot()["searches"] == first["searches"]
    # Same requests, same moments, same statuses (their keys carry the shop's id).
    assert snapshot()["requests"] == first["requests"]
    assert OrderRequest.objects.filter(pk=real.pk).exists()
    seed_history(replace=True, now=now, seed="another town")
    assert snapshot()["counts"] != first["counts"]


@pytest.mark.dated
def test_the_history_stops_at_the_present_moment(demo_town):
    history()

    now = timezone.now()
    assert not DailyCount.objects.filter(day__gt=timezone.localdate()).exists()
    assert not OrderRequest.objects.filter(created_at__gt=now).exists()
    assert not StatusChange.objects.filter(at__gt=now).exists()
    assert not SearchRecord.objects.filter(day__gt=timezone.localdate()).exists()
    assert not OrderRequest.objects.filter(~Q(status=Status.NEW), history__isnull=True).exists()


@pytest.mark.dated
def test_no_request_stays_new_past_its_expiry(demo_town):
    """The demo town shows what the hourly expire_requests leaves: nothing for it to do."""
    history()

    assert due() == []
    demo = OrderRequest.objects.filter(checkout__idempotency_key__startswith=KEY_PREFIX)
    assert demo.filter(status=Status.EXPIRED).exists()
    oldest_new = demo.filter(status=Status.NEW).aggregate(first=Min("created_at"))["first"]
    assert oldest_new is None or timezone.now() - oldest_new < timedelta(days=4)


def test_refuses_without_force_when_debug_is_off(settings, demo_town):
    settings.DEBUG = False
    settings.PORTAL_ALLOW_DEMO = False

    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo_history", stdout=io.StringIO())

    assert not DailyCount.objects.exists()
