"""Counting views and visit intents: buffered in memory, written once a minute, never a
person tracked."""

import json
import threading
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection
from django.db.models import QuerySet
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from insights import counting
from insights.models import DailyCount

from .. import builders
from ..timetravel import travel

pytestmark = pytest.mark.django_db

PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
BEACON = "/statistiques/beacon/"


@pytest.fixture(autouse=True)
def counts(settings):
    """The buffer is the process's: each test starts and ends with it empty, and no thread
    writes behind the test's back."""
    settings.PORTAL_COUNTING_ENABLED = True
    settings.PORTAL_COUNTS_FLUSH_SECONDS = 0
    counting.clear()
    yield
    counting.clear()


@pytest.fixture
def visitor():
    """A resident on a phone: the test client sends no user agent, which counts as a bot."""
    return Client(headers={"User-Agent": PHONE})


@pytest.fixture
def baguette(bakery):
    return builders.product(bakery, "Baguette tradition")


def stored():
    return {(c.event, c.shop_id, c.product_id): c.count for c in DailyCount.objects.all()}


def buffered():
    return {
        (event, shop, product or slug): n
        for (_d, event, shop, product, slug), n in counting.pending().items()
    }


def insights_writes(queries):
    return [
        q["sql"]
        for q in queries.captured_queries
        if "insights_" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]


# Page views ---------------------------------------------------------------------------------


def test_shop_and_product_views_are_buffered_without_a_database_write(visitor, bakery, baguette):
    with CaptureQueriesContext(connection) as queries:
        assert visitor.get(bakery.url).status_code == 200
        assert visitor.get(baguette.url).status_code == 200

    assert insights_writes(queries) == []
    assert DailyCount.objects.count() == 0
    assert buffered() == {
        ("view", bakery.pk, None): 1,
        ("view", bakery.pk, baguette.slug): 1,  # resolved to its id when written
    }


@pytest.mark.dated
def test_flush_writes_one_row_per_day_event_and_page(visitor, bakery, flower_shop, baguette):
    visitor.get(bakery.url)
    visitor.get(bakery.url + "?page=2")
    visitor.get(baguette.url)
    visitor.get(flower_shop.url)

    assert counting.flush() == 4

    assert stored() == {
        ("view", bakery.pk, None): 2,
        ("view", bakery.pk, baguette.pk): 1,
        ("view", flower_shop.pk, None): 1,
    }
    assert counting.pending() == {}
    assert set(DailyCount.objects.values_list("day", flat=True)) == {counting.timezone.localdate()}


def test_two_flushes_add_to_the_same_rows(visitor, bakery, baguette):
    visitor.get(bakery.url)
    visitor.get(baguette.url)
    counting.flush()
    visitor.get(bakery.url)
    visitor.get(baguette.url)
    visitor.get(baguette.url)
    counting.flush()

    assert stored() == {("view", bakery.pk, None): 2, ("view", bakery.pk, baguette.pk): 3}
    assert DailyCount.objects.count() == 2


@pytest.mark.dated
def test_counts_of_another_process_are_added_to_not_replaced(visitor, bakery):
    today = counting.timezone.localdate()
    DailyCount.objects.create(day=today, event="view", shop=bakery, count=40)
    visitor.get(bakery.url)

    counting.flush()

    assert stored() == {("view", bakery.pk, None): 41}


@pytest.mark.dated
def test_a_row_created_by_another_process_between_update_and_insert_is_added_to(
    visitor, bakery, monkeypatch
):
    """The race of two processes flushing the first count of the day: the unique
    constraint refuses the second insert, which then adds to the first one's row."""
    visitor.get(bakery.url)
    real_update = QuerySet.update
    raced = []

    def update_then_rival_inserts(queryset, **kwargs):
        updated = real_update(queryset, **kwargs)
        if queryset.model is DailyCount and not raced:
            raced.append(True)
            DailyCount.objects.bulk_create(
                [DailyCount(day=counting.timezone.localdate(), event="view", shop=bakery, count=7)]
            )
        return updated

    monkeypatch.setattr(QuerySet, "update", update_then_rival_inserts)
    counting.flush()

    assert raced
    assert stored() == {("view", bakery.pk, None): 8}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_processes_flushing_the_same_rows_at_once_add_up():
    """Four web processes write their first count of the day for the same page at the same
    moment: all but one insert hits the unique constraint and adds to the row instead."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs several real database connections: runs on PostgreSQL (make test-postgres, CI)"
        )
    bakery = builders.shop("Boulangerie")
    key = (counting.timezone.localdate(), "view", bakery.pk, None, None)
    start = threading.Barrier(4)
    errors = []

    def a_process_flushes():
        try:
            start.wait()
            counting._write({key: 5})
        except Exception as error:  # reported below: an exception in a thread is silent
            errors.append(error)
        finally:
            connection.close()

    processes = [threading.Thread(target=a_process_flushes) for _ in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join()

    assert errors == []
    assert stored() == {("view", bakery.pk, None): 20}


def test_head_post_missing_and_moved_pages_are_not_counted(visitor, bakery, baguette):
    old_url = baguette.url
    baguette.slug = "baguette"
    baguette.save()

    visitor.head(bakery.url)
    visitor.post(bakery.url)
    assert visitor.get(bakery.url + "pain-inconnu/").status_code == 404
    assert visitor.get(old_url).status_code == 301  # its new address will count, not this

    assert counting.pending() == {}


def test_hidden_product_is_not_counted(visitor, bakery):
    hidden = builders.product(bakery, "Galette", is_active=False)

    assert visitor.get(hidden.url).status_code == 404
    assert counting.pending() == {}


def test_password_form_of_a_private_shop_is_not_a_view(visitor, bakery):
    PageViewRestriction.objects.create(
        page=bakery, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )

    assert visitor.get(bakery.url).status_code == 200  # the password form
    assert counting.pending() == {}


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "WhatsApp/2.23.20.0 A",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/126.0 Safari/537.36",
    ],
)
def test_bots_and_link_previews_are_not_counted(bakery, agent):
    Client(headers={"User-Agent": agent}).get(bakery.url)

    assert counting.pending() == {}


@pytest.mark.parametrize(
    "agent",
    [
        PHONE,
        # A resident inside Instagram's or Facebook's own browser is a person, not a preview.
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Mobile/15E148 Instagram 334.0.4.32.98",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0 Mobile Safari/537.36 [FBAN/EMA;FBLC/fr_FR;FBAV/420.0.0.10.108;]",
    ],
)
def test_browsers_are_counted(bakery, agent):
    Client(headers={"User-Agent": agent}).get(bakery.url)

    assert buffered() == {("view", bakery.pk, None): 1}


def test_previews_are_not_counted(bakery, baker):
    # Wagtail's preview (the admin's "Preview" and "View draft") serves the page without
    # the serving hooks; the hook's own check covers a preview request that reached it.
    response = bakery.make_preview_request()
    assert response.status_code == 200
    preview_request = RequestFactory().get(bakery.url, headers={"User-Agent": PHONE})
    preview_request.is_preview = True

    assert not counting.should_count(preview_request)
    assert counting.pending() == {}
    assert "js/track.js" not in response.content.decode()  # its clicks are not sent either


def test_merchant_looking_at_own_shop_is_not_counted(visitor, bakery, baker):
    # Residents have no account: anyone signed in is the city's or a shop's staff.
    visitor.force_login(baker)

    assert visitor.get(bakery.url).status_code == 200
    assert (
        visitor.get(reverse("wagtailadmin_pages:view_draft", args=[bakery.pk])).status_code == 200
    )
    assert counting.pending() == {}


def test_nothing_is_counted_when_counting_is_off(visitor, bakery, baguette, settings):
    settings.PORTAL_COUNTING_ENABLED = False

    visitor.get(bakery.url)
    visitor.get(baguette.url)
    visitor.post(BEACON, {"event": "call", "shop": bakery.pk})

    assert counting.pending() == {}


def test_pages_carry_the_click_counting_markers(visitor, bakery, baguette):
    bakery.phone = "065 12 34 56"
    bakery.website = "https://boulangerie-dupont.example"
    bakery.facebook_url = "https://facebook.com/boulangerie-dupont"
    bakery.save_revision().publish()

    shop_page = visitor.get(bakery.url).content.decode()
    product_page = visitor.get(baguette.url).content.decode()

    assert f'data-track-shop="{bakery.pk}" data-beacon-url="{BEACON}"' in shop_page
    for event in ("call", "directions", "website", "social", "share"):
        assert f'data-track="{event}"' in shop_page
    assert "js/track.js" in shop_page
    assert f'data-track-product="{baguette.pk}"' in product_page
    assert 'data-track="share"' in product_page and "js/track.js" in product_page


# Flushing: nothing lost, nothing twice -------------------------------------------------------


def test_counts_arriving_during_a_flush_are_kept_for_the_next(visitor, bakery, monkeypatch):
    visitor.get(bakery.url)
    real_add = counting._add

    def add_while_a_request_counts(*args):
        counting.count("view", bakery.pk)  # a request served while the flush writes
        real_add(*args)

    monkeypatch.setattr(counting, "_add", add_while_a_request_counts)
    counting.flush()
    monkeypatch.undo()

    assert stored() == {("view", bakery.pk, None): 1}
    assert buffered() == {("view", bakery.pk, None): 1}
    counting.flush()
    assert stored() == {("view", bakery.pk, None): 2}


def test_counting_from_many_threads_while_flushing_loses_nothing(bakery):
    threads, per_thread = 4, 2000

    def serve_many():
        for _ in range(per_thread):
            counting.count("view", bakery.pk)

    workers = [threading.Thread(target=serve_many) for _ in range(threads)]
    for worker in workers:
        worker.start()
    while any(worker.is_alive() for worker in workers):
        counting.flush()
    for worker in workers:
        worker.join()
    counting.flush()

    assert stored() == {("view", bakery.pk, None): threads * per_thread}


def test_a_failed_flush_keeps_every_count_for_the_next(visitor, bakery, baguette, monkeypatch):
    visitor.get(bakery.url)
    visitor.get(baguette.url)
    real_add = counting._add
    calls = []

    def database_down_on_the_second_row(*args):
        calls.append(args)
        if len(calls) == 2:
            raise DatabaseError("server closed the connection unexpectedly")
        real_add(*args)

    monkeypatch.setattr(counting, "_add", database_down_on_the_second_row)
    with pytest.raises(DatabaseError):
        counting.flush()
    monkeypatch.undo()

    # The first row was written, then rolled back with the rest: counting it again next
    # time does not count it twice.
    assert DailyCount.objects.count() == 0
    assert buffered() == {("view", bakery.pk, None): 1, ("view", bakery.pk, baguette.slug): 1}
    counting.flush()
    assert stored() == {("view", bakery.pk, None): 1, ("view", bakery.pk, baguette.pk): 1}


def test_counts_of_a_deleted_shop_or_product_are_dropped_and_the_others_written(
    visitor, bakery, flower_shop, baguette
):
    croissant = builders.product(bakery, "Croissant")
    visitor.get(bakery.url)
    visitor.get(baguette.url)
    visitor.get(croissant.url)
    visitor.get(flower_shop.url)
    flower_shop.delete()
    croissant.delete()

    counting.flush()

    assert stored() == {("view", bakery.pk, None): 1, ("view", bakery.pk, baguette.pk): 1}
    assert counting.pending() == {}


# The click beacon ---------------------------------------------------------------------------


def test_beacon_counts_a_click_per_shop_and_per_product(visitor, bakery, baguette):
    with CaptureQueriesContext(connection) as queries:
        call = visitor.post(BEACON, {"event": "call", "shop": bakery.pk})
        share = visitor.post(BEACON, {"event": "share", "shop": bakery.pk, "product": baguette.pk})
        directions = visitor.post(
            BEACON,
            json.dumps({"event": "directions", "shop": bakery.pk}),
            content_type="application/json",
        )

    assert [call.status_code, share.status_code, directions.status_code] == [204, 204, 204]
    assert insights_writes(queries) == []
    assert "Set-Cookie" not in call.headers
    counting.flush()
    assert stored() == {
        ("call", bakery.pk, None): 1,
        ("share", bakery.pk, baguette.pk): 1,
        ("directions", bakery.pk, None): 1,
    }


@pytest.mark.parametrize(
    "data",
    [
        {"event": "view", "shop": "1"},  # views are counted by the page itself
        {"event": "purchase", "shop": "1"},
        {"event": "call"},
        {"event": "call", "shop": "douze"},
        {"event": "call", "shop": "-3"},
        {"event": "call", "shop": "99999999999"},
        {"event": "call", "shop": "1", "product": "x"},
        {"event": "call", "shop": "1", "product": "0"},
    ],
)
def test_beacon_refuses_what_is_not_a_click(visitor, data):
    assert visitor.post(BEACON, data).status_code == 400
    assert counting.pending() == {}


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("not json", "application/json"),
        ("[1, 2]", "application/json"),
        ('{"event": "call", "shop": true}', "application/json"),
        ("event=call&shop=1&padding=" + "x" * 2000, "application/x-www-form-urlencoded"),
        ("--broken\r\n", "multipart/form-data; boundary=broken"),
        ("[" * 1000, "application/json"),  # nested deep enough to overflow a parser
        ('{"a":' * 400 + "1" + "}" * 400, "application/json"),
    ],
)
def test_beacon_answers_400_not_500_to_a_malformed_body(visitor, body, content_type):
    assert visitor.post(BEACON, body, content_type=content_type).status_code == 400


def test_beacon_only_takes_posts(visitor):
    assert visitor.get(BEACON + "?event=call&shop=1").status_code == 405


def test_beacon_ignores_bots_and_signed_in_staff(bakery, baker):
    assert Client().post(BEACON, {"event": "call", "shop": bakery.pk}).status_code == 204
    staff = Client(headers={"User-Agent": PHONE})
    staff.force_login(baker)
    assert staff.post(BEACON, {"event": "call", "shop": bakery.pk}).status_code == 204

    assert counting.pending() == {}


def test_beacon_click_with_another_shops_product_is_dropped(visitor, bakery, flower_shop):
    bouquet = builders.product(flower_shop, "Bouquet")
    visitor.post(BEACON, {"event": "share", "shop": bakery.pk, "product": bouquet.pk})
    visitor.post(BEACON, {"event": "call", "shop": 987654})  # no such shop

    counting.flush()

    assert stored() == {}


def total(event, shop):
    return sum(DailyCount.objects.filter(event=event, shop=shop).values_list("count", flat=True))


def test_a_click_repeated_a_hundred_times_counts_once(visitor, bakery, baguette):
    with CaptureQueriesContext(connection) as queries:
        answers = {visitor.post(BEACON, {"event": "call", "shop": bakery.pk}).status_code}
        answers |= {
            visitor.post(BEACON, {"event": "call", "shop": bakery.pk}).status_code
            for _repeat in range(99)
        }
        # Another kind, or the same kind on another page, is another click.
        visitor.post(BEACON, {"event": "directions", "shop": bakery.pk})
        visitor.post(BEACON, {"event": "call", "shop": bakery.pk, "product": baguette.pk})

    assert answers == {204}  # counted or not, the same answer
    assert [q["sql"] for q in queries.captured_queries] == []  # nothing stored in the database
    counting.flush()
    assert stored() == {
        ("call", bakery.pk, None): 1,
        ("directions", bakery.pk, None): 1,
        ("call", bakery.pk, baguette.pk): 1,
    }


def test_two_addresses_are_two_visitors_and_no_address_is_kept(bakery):
    from django.core.cache import cache

    for address in ["203.0.113.7", "2001:db8:5::1", "2001:db8:5::2", "198.51.100.20"]:
        visitor = Client(headers={"User-Agent": PHONE}, REMOTE_ADDR=address)
        visitor.post(BEACON, {"event": "call", "shop": bakery.pk})

    counting.flush()
    # Two IPv6 addresses of one /64 are one subscriber.
    assert stored() == {("call", bakery.pk, None): 3}
    kept = repr(dict(cache._cache))  # the test cache's keys and pickled values
    assert "first:click:" in kept
    for personal in ["203.0.113.7", "2001:db8:5", "198.51.100.20", "iPhone"]:
        assert personal not in kept


@pytest.mark.dated
def test_the_same_click_counts_again_after_the_window(visitor, bakery, settings):
    settings.PORTAL_STATS_WINDOW = 30 * 60
    start = counting.timezone.now()
    visitor.post(BEACON, {"event": "call", "shop": bakery.pk})
    with travel(start + timedelta(minutes=5)):
        visitor.post(BEACON, {"event": "call", "shop": bakery.pk})
    counting.flush()
    assert total("call", bakery) == 1

    with travel(start + timedelta(minutes=31)):
        visitor.post(BEACON, {"event": "call", "shop": bakery.pk})
        counting.flush()
    assert total("call", bakery) == 2


def test_an_address_over_its_cap_is_not_counted(visitor, bakery, flower_shop, settings):
    settings.PORTAL_STATS_RATE_LIMIT = 3
    shops = [bakery.pk, flower_shop.pk]
    answers = {
        visitor.post(BEACON, {"event": event, "shop": shop}).status_code
        for shop in shops
        for event in ["call", "directions", "website"]
    }

    assert answers == {204}
    counting.flush()
    assert sum(DailyCount.objects.values_list("count", flat=True)) == 3
    # Another address is not held back by this one.
    other = Client(headers={"User-Agent": PHONE}, REMOTE_ADDR="198.51.100.20")
    other.post(BEACON, {"event": "call", "shop": flower_shop.pk})
    counting.flush()
    assert sum(DailyCount.objects.values_list("count", flat=True)) == 4


# The background writer ----------------------------------------------------------------------


class FakeThread:
    started = []

    def __init__(self, target, args, name, daemon):
        self.daemon = daemon

    def start(self):
        self.started.append(self)


def test_one_writer_thread_per_process_and_a_new_one_after_fork(bakery, settings, monkeypatch):
    settings.PORTAL_COUNTS_FLUSH_SECONDS = 60
    exit_handlers = []
    FakeThread.started = []
    monkeypatch.setattr(counting.threading, "Thread", FakeThread)
    monkeypatch.setattr(counting.atexit, "register", exit_handlers.append)
    monkeypatch.setattr(counting, "_flusher_started", False)

    counting.count("view", bakery.pk)
    counting.count("view", bakery.pk)
    assert len(FakeThread.started) == 1 and FakeThread.started[0].daemon
    assert exit_handlers == [counting._flush_quietly]  # the last counts are written at exit

    counting._after_fork_in_child()  # what os.fork runs in a new web worker
    assert counting.pending() == {}  # the parent's counts are the parent's to write
    counting.count("view", bakery.pk)
    assert len(FakeThread.started) == 2


def test_no_writer_thread_when_the_interval_is_zero(bakery, monkeypatch):
    FakeThread.started = []
    monkeypatch.setattr(counting.threading, "Thread", FakeThread)
    monkeypatch.setattr(counting, "_flusher_started", False)

    counting.count("view", bakery.pk)

    assert FakeThread.started == []


def test_writer_keeps_the_counts_when_the_database_is_down(bakery, monkeypatch, caplog):
    counting.count("call", bakery.pk)
    monkeypatch.setattr(counting, "_add", lambda *args: (_ for _ in ()).throw(DatabaseError()))

    counting._flush_quietly()  # logs, never raises in the thread

    assert "Could not write the page counts" in caplog.text
    assert buffered() == {("call", bakery.pk, None): 1}
