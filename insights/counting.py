"""Counting views and visit intents on shop and product pages, without tracking anyone.

A count is added to a buffer in the web process's memory: the request writes nothing to the
database. A background thread adds the buffer to `DailyCount` every
PORTAL_COUNTS_FLUSH_SECONDS, and the process does it once more when it exits, so a crash
loses at most that much. Writes add to the rows (`count = count + n`), so several processes
and servers add up. Nothing about the visitor is kept: no cookie, no address, no agent.

Why a buffer rather than a write per view: `make bench` (bench/counting.py, SQLite in memory,
BENCH_REQUESTS=300 on a shared machine) measured count() at 4.6 µs a view against 950 µs and
3 queries to add the view to its row within the request, and the pages' queries unchanged
with counting on (20 for a shop page, 17 for a product page). A write per view would also
have every resident viewing one shop on one day update, and so lock, the same row.

A click (a visit intent) counts once per visitor, kind and page in PORTAL_STATS_WINDOW
seconds, and an address's clicks are capped (PORTAL_STATS_RATE_LIMIT an hour): posting
the beacon in a loop does not inflate a shop's figures (home.forms.first_from_visitor: no
address is kept).
"""

import atexit
import logging
import os
import re
import threading
import time
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone
from wagtail import hooks

from home import page_cache
from home.forms import first_from_visitor
from merchants.models import MerchantPage
from products.models import Product

from .models import DailyCount, Event

logger = logging.getLogger(__name__)

# Crawlers, link-preview fetchers (WhatsApp, Facebook, Slack… fetch a page when its link is
# pasted), monitoring and scripts. An empty user agent is a script too. Matched against the
# lower-cased agent: several times faster than re.IGNORECASE.
BOT_AGENT = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|facebookcatalog|whatsapp|telegram"
    r"|curl|wget|python|java/|go-http|okhttp|libwww|httpclient|headless|lighthouse"
    r"|pagespeed|pingdom|uptime|monitor|scan|fetch|archive"
)

# New keys beyond this many are dropped until the next flush: the beacon accepts any id,
# and a flood of made-up ones must not grow the process without bound.
MAX_PENDING_KEYS = 50_000

# {(day, event, shop id, product id or None, product slug or None): n}. Page views know a
# product by its address (its slug), clicks by its id: slugs are resolved at flush time,
# so that counting a view costs no query.
_pending = defaultdict(int)
_lock = threading.Lock()
# One flush at a time in a process, so that the exit's flush waits for the thread's.
_flush_lock = threading.Lock()
_flusher_started = False


def is_bot(request):
    agent = request.headers.get("User-Agent", "")
    return not agent or BOT_AGENT.search(agent.lower()) is not None


def count(event, shop_id, product_id=None, *, product_slug=None):
    """Add one `event` on the page of shop `shop_id` (or of one of its products) to the
    buffer. No database access."""
    key = (timezone.localdate(), Event(event).value, shop_id, product_id, product_slug)
    with _lock:
        if key in _pending or len(_pending) < MAX_PENDING_KEYS:
            _pending[key] += 1
    if not _flusher_started:
        _start_flusher()


def pending():
    """A copy of the counts not written yet."""
    with _lock:
        return dict(_pending)


def clear():
    """Forget the counts not written yet (tests)."""
    with _lock:
        _pending.clear()


def flush():
    """Add the buffered counts to the database; returns how many were written.

    The buffer is swapped out under the lock, so counts keep arriving while this writes.
    Everything is written in one transaction: if it fails (database down), the counts
    go back into the buffer for the next flush, none lost and none written twice.
    """
    global _pending
    with _flush_lock:
        with _lock:
            taken, _pending = _pending, defaultdict(int)
        if not taken:
            return 0
        try:
            return _write(taken)
        except Exception:
            with _lock:
                for key, n in taken.items():
                    if key in _pending or len(_pending) < MAX_PENDING_KEYS:
                        _pending[key] += n
            raise


def _write(taken):
    rows = _resolve(taken)
    with transaction.atomic():
        # Always the same order, so that two processes writing the same rows cannot deadlock.
        for (day, event, shop_id, product_id), n in sorted(
            rows.items(), key=lambda item: (item[0][:3], item[0][3] or 0)
        ):
            _add(day, event, shop_id, product_id, n)
    return sum(rows.values())


def _resolve(taken):
    """{(day, event, shop id, product id or None): n}, without the counts of shops and
    products that no longer exist (or of a product sent with another shop's id)."""
    shop_ids = {key[2] for key in taken}
    product_ids = {key[3] for key in taken if key[3] is not None}
    slugs = {key[4] for key in taken if key[4] is not None}
    shops = set(MerchantPage.objects.filter(pk__in=shop_ids).values_list("pk", flat=True))
    shop_of_product = dict(
        Product.objects.filter(pk__in=product_ids).values_list("pk", "shop_id")
        if product_ids
        else ()
    )
    product_by_slug = {
        (shop_id, slug): pk
        for pk, shop_id, slug in (
            Product.objects.filter(shop_id__in=shops, slug__in=slugs).values_list(
                "pk", "shop_id", "slug"
            )
            if slugs
            else ()
        )
    }
    rows = defaultdict(int)
    for (day, event, shop_id, product_id, slug), n in taken.items():
        if shop_id not in shops:
            continue
        if slug is not None:
            product_id = product_by_slug.get((shop_id, slug))
            if product_id is None:
                continue
        elif product_id is not None and shop_of_product.get(product_id) != shop_id:
            continue
        rows[(day, event, shop_id, product_id)] += n
    return rows


def _add(day, event, shop_id, product_id, n):
    """Add `n` to a row, creating it if needed. Another process may create the same row
    between our update and our insert: then the unique constraint refuses ours, and the
    update runs again on its row."""
    row = DailyCount.objects.filter(day=day, event=event, shop_id=shop_id, product_id=product_id)
    for _attempt in range(3):
        if row.update(count=F("count") + n):
            return
        try:
            with transaction.atomic():
                DailyCount.objects.create(
                    day=day, event=event, shop_id=shop_id, product_id=product_id, count=n
                )
            return
        except IntegrityError:
            continue
    raise IntegrityError(f"could not add to the daily count {day} {event} {shop_id} {product_id}")


# Writing in the background -----------------------------------------------------------------


def _start_flusher():
    global _flusher_started
    with _lock:
        if _flusher_started:
            return
        _flusher_started = True
    interval = settings.PORTAL_COUNTS_FLUSH_SECONDS
    if interval <= 0:  # no automatic writes (the tests flush by hand)
        return
    threading.Thread(
        target=_flush_every, args=(interval,), name="insights-counts", daemon=True
    ).start()
    atexit.register(_flush_quietly)


def _flush_every(interval):
    while True:
        time.sleep(interval)
        _flush_quietly()
        # This thread's own connection: not kept open for a minute of doing nothing.
        connections.close_all()


def _flush_quietly():
    try:
        flush()
    except Exception:
        logger.exception("Could not write the page counts; they are kept for the next try.")


def _after_fork_in_child():
    """A forked web worker (gunicorn, uWSGI) starts with an empty buffer and a thread of its
    own: the parent's counts are the parent's to write, and its thread and locks are not
    usable in the child."""
    global _pending, _lock, _flush_lock, _flusher_started
    _pending = defaultdict(int)
    _lock = threading.Lock()
    _flush_lock = threading.Lock()
    _flusher_started = False


os.register_at_fork(after_in_child=_after_fork_in_child)


# Page views --------------------------------------------------------------------------------


def should_count(request):
    """Residents' page loads only: not bots, not previews, and not people signed in (the
    city's editors and the merchants; residents have no accounts)."""
    user = getattr(request, "user", None)
    return (
        settings.PORTAL_COUNTING_ENABLED
        and not getattr(request, "is_preview", False)
        and not is_bot(request)
        and not (user is not None and user.is_authenticated)
    )


def first_click(request, event, shop_id, product_id=None):
    """Whether this click is to be counted: the first of its kind from this visitor on this
    page in PORTAL_STATS_WINDOW, from an address under its hourly cap."""
    return first_from_visitor(
        request,
        "click",
        (event, shop_id, product_id),
        window=settings.PORTAL_STATS_WINDOW,
        hourly_limit=settings.PORTAL_STATS_RATE_LIMIT,
    )


def count_page_view(request, response):
    """Count the page `response` shows, if the route said what it shows (`request.page_view`)
    and a resident loaded it."""
    view = getattr(request, "page_view", None)
    if (
        view is not None
        and request.method == "GET"
        and response.status_code == 200
        and should_count(request)
    ):
        count(Event.VIEW, view.shop_id, product_slug=view.product_slug)


# After Wagtail's own wrappers (view restrictions: a password form is not a view of the
# page), so that only pages actually shown count. The shop's routes say what they show
# (`merchants.models.PageView` on `request.page_view`); nothing else is counted.
@hooks.register("on_serve_page", order=100)
def count_page_views(serve):
    def serve_and_count(page, request, serve_args, serve_kwargs):
        response = serve(page, request, serve_args, serve_kwargs)
        count_page_view(request, response)
        return response

    return serve_and_count


# A page served from the cache is not served by Wagtail: the cache gives back the
# `page_view` its page had.
@receiver(page_cache.served_from_cache, dispatch_uid="insights.count_cached_page_view")
def count_cached_page_view(sender, request, response, **kwargs):
    count_page_view(request, response)
