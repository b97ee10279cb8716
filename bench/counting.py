"""Benchmark: what counting page views costs a shop page and a product page.

Each page is requested through the WSGI application itself (Django's handler and its
middleware, as gunicorn calls it, without a network) BENCH_REQUESTS times with
PORTAL_COUNTING_ENABLED off and as many times on, alternating request by request (which
goes first alternates too), so that both see the same machine. Each request is timed in
the process's CPU time, which other programs on a shared machine disturb less than
wall-clock time; throughput is one over the median request, what a busy worker serves.
The overhead is printed in %, with the noise floor: the same comparison between the "off"
requests of even and odd turns, an overhead below it is no result. Then the cost of the
counting hook alone, of one count(), and of one flush of a busy minute's buffer (the
once-a-minute write, in the background thread).

Run with `make bench` (SQLite in memory) or `DATABASE_URL=postgres://… make bench`.
"""

import gc
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "1000"))
PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def wsgi_get(application, path):
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "HTTP_USER_AGENT": PHONE,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    statuses = []
    body = application(environ, lambda status, headers, exc_info=None: statuses.append(status))
    try:
        b"".join(body)
    finally:
        body.close()
    assert statuses[0].startswith("200"), (path, statuses)


def request_times(application, path):
    """{counting on: [CPU seconds of each request]}, off and on alternating."""
    times = {False: [], True: []}
    for turn in range(REQUESTS):
        for on in (False, True) if turn % 2 == 0 else (True, False):
            settings.PORTAL_COUNTING_ENABLED = on
            start = time.process_time()
            wsgi_get(application, path)
            times[on].append(time.process_time() - start)
    return times


def hook_cost(page_or_product, calls=2000):
    """CPU µs that counting adds to one request (bot check, sign-in check, count()): the
    serving hook around a view that returns a response at once, on requests as the
    session and authentication middleware leave them."""
    from django.contrib.auth.middleware import AuthenticationMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.http import HttpResponse
    from django.test import RequestFactory

    from insights import counting
    from merchants.models import PageView

    shop = getattr(page_or_product, "shop", page_or_product)
    slug = None if shop is page_or_product else page_or_product.slug
    route = "/" if slug is None else f"/{slug}/"
    serve_args = tuple(shop.resolve_subpage(route))
    response = HttpResponse()
    served = counting.count_page_views(lambda *args: response)
    factory = RequestFactory(headers={"User-Agent": PHONE})

    def timed(counting_on):
        requests = []
        for _ in range(calls):
            request = factory.get(route)
            SessionMiddleware(lambda r: None).process_request(request)
            AuthenticationMiddleware(lambda r: None).process_request(request)
            request.page_view = PageView(shop.pk, slug)  # what the route sets
            requests.append(request)
        settings.PORTAL_COUNTING_ENABLED = counting_on
        start = time.process_time()
        for request in requests:
            served(shop, request, serve_args, {})
        return time.process_time() - start

    timed(True)  # warm-up
    gc.disable()  # thousands of requests alive at once: collections would be most of it
    try:
        best_on = min(timed(True) for _ in range(5))
        best_off = min(timed(False) for _ in range(5))
    finally:
        gc.enable()
    return (best_on - best_off) / calls * 1e6


def seed_town(shop_count=20, products_per_shop=25):
    from tests import builders

    shops = [builders.shop(f"Commerce {n:02d}") for n in range(shop_count)]
    for shop in shops:
        for _ in range(products_per_shop):
            builders.product(shop)
    return shops


def busy_minute(shops):
    """Every shop viewed and every kind of click on it and on each of its products."""
    from insights import counting
    from insights.models import INTENTS, Event

    for shop in shops:
        for event in (Event.VIEW, *INTENTS):
            counting.count(event, shop.pk)
        for product in shop.products.all():
            counting.count(Event.VIEW, shop.pk, product_slug=product.slug)
            counting.count(Event.SHARE, shop.pk, product.pk)
    return len(counting.pending())


def main():
    from insights import counting
    from merchants.models import ShopGalleryImage
    from tests import builders

    settings.PORTAL_COUNTS_FLUSH_SECONDS = 0  # the flush is timed on its own below
    application = WSGIHandler()
    shop = builders.shop("Boulangerie du banc d'essai")
    photo = builders.make_image("Vitrine")
    ShopGalleryImage.objects.create(shop=shop, image=photo, alt_text="La vitrine")
    products = [builders.product(shop, image=photo) for _ in range(12)]
    pages = {"shop page": shop.url, "product page": products[0].url}

    print(f"database: {connection.vendor}, {REQUESTS} requests off and {REQUESTS} on per page")
    for label, path in pages.items():
        wsgi_get(application, path)  # warm-up: renditions, caches
        queries = {}
        for on in (False, True):
            settings.PORTAL_COUNTING_ENABLED = on
            with CaptureQueriesContext(connection) as captured:
                wsgi_get(application, path)
            queries[on] = len(captured)
        times = request_times(application, path)
        off, on = (1 / statistics.median(times[mode]) for mode in (False, True))
        even, odd = (1 / statistics.median(times[False][half::2]) for half in (0, 1))
        noise = abs(even - odd) / off * 100
        print(
            f"{label}: counting off {off:.1f} req/s, on {on:.1f} req/s, "
            f"overhead {(off - on) / off * 100:+.1f} % = {(1 / on - 1 / off) * 1e6:+.0f} µs a "
            f"request (noise floor ±{noise:.1f} %; "
            f"queries per request: {queries[False]} off, {queries[True]} on)"
        )
        hook = hook_cost(shop if label == "shop page" else products[0])
        print(
            f"  the counting hook alone: {hook:.1f} µs a request, "
            f"{hook * off / 1e6 * 100:.2f} % of this page's time"
        )
    counting.clear()

    start = time.process_time()
    calls = 100_000
    for _ in range(calls):
        counting.count("view", shop.pk)
    print(f"count() alone: {(time.process_time() - start) / calls * 1e6:.2f} µs a call")
    counting.clear()

    # The unbuffered alternative: each view adds to its row at once, in the request.
    today = timezone.localdate()
    counting._add(today, "view", shop.pk, None, 1)  # the row exists, as after the first view
    writes = 1000
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        for _ in range(writes):
            with transaction.atomic():
                counting._add(today, "view", shop.pk, None, 1)
        elapsed = time.perf_counter() - start
    print(
        f"writing each view at once instead: {elapsed / writes * 1e6:.0f} µs a view (wall "
        f"clock, the database's time included), {len(captured) / writes:.0f} queries"
    )

    town = seed_town()
    for label in ("first flush of the day (inserts)", "next flush (updates)"):
        keys = busy_minute(town)
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            counting.flush()
            elapsed = time.perf_counter() - start
        print(f"{label}: {keys} rows in {elapsed * 1000:.0f} ms, {len(captured)} queries")


if __name__ == "__main__":
    test_database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        main()
    finally:
        connection.creation.destroy_test_db(test_database, verbosity=0)
