"""Benchmark: residents sending two-shop requests at once, through the real HTTP flow.

RESIDENTS threads, each a resident with its own cookies, do SENDS times: add a product of
each of two shops to the request list, give their details, open "check your request" and
send it. The portal runs in a threaded WSGI server on loopback (the one Django's live-server
tests use) against a throw-away test database on PostgreSQL (`DATABASE_URL`, default the
local `portal` server of `make test-postgres`).

Prints p50 and p95 of the send step (the POST that stores the requests and their e-mails),
then checks in the database that every checkout, every request and every outbox row is
there exactly once. E-mail is stored, not sent (the outbox's sender is not running).
The machines are noisy: this is a benchmark, not a test.
"""

import os
import re
import statistics
import sys
import threading
import time
from decimal import Decimal
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://portal:portal@127.0.0.1:5432/portal")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.testcases import LiveServerThread  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

RESIDENTS = int(os.environ.get("BENCH_RESIDENTS", "20"))
SENDS = int(os.environ.get("BENCH_SENDS", "3"))
FORM_FIELD = re.compile(r'name="(csrfmiddlewaretoken|idempotency_key)" value="([^"]+)"')


class Resident:
    def __init__(self, number, base):
        self.number, self.base, self.cookies = number, base, CookieJar()
        self.browser = build_opener(HTTPCookieProcessor(self.cookies))

    def get(self, path):
        with self.browser.open(self.base + path, timeout=60) as response:
            return response.read().decode()

    def post(self, path, data, page):
        fields = dict(FORM_FIELD.findall(page))
        token = fields.get("csrfmiddlewaretoken") or self.cookie("csrftoken")
        body = urlencode({"csrfmiddlewaretoken": token, **data}).encode()
        headers = {"Referer": self.base + path, "X-CSRFToken": token}
        request = Request(self.base + path, data=body, headers=headers, method="POST")
        with self.browser.open(request, timeout=60) as response:
            return response.read().decode()

    def cookie(self, name):
        return next((cookie.value for cookie in self.cookies if cookie.name == name), "")

    def send_one(self, products, shops):
        page = self.get("/ma-demande/")  # the list page sets the CSRF cookie
        for product in products:
            page = self.post("/ma-demande/ajouter/", {"product": product, "quantity": 2}, page)
        details = {
            "name": f"Habitant {self.number}",
            "email": f"habitant{self.number}@example.org",
            "phone": "0470 12 34 56",
            "street_address": "Rue Haute 3",
            "postcode": "7000",
            "town": "Valbourg",
            "consent": "on",
        }
        for shop in shops:
            details[f"shop_{shop}_fulfilment"] = "pickup"
        page = self.post("/ma-demande/coordonnees/", details, self.get("/ma-demande/coordonnees/"))
        review = self.get("/ma-demande/verifier/")
        key = dict(FORM_FIELD.findall(review))["idempotency_key"]
        start = time.perf_counter()
        confirmation = self.post("/ma-demande/verifier/", {"idempotency_key": key}, review)
        elapsed = time.perf_counter() - start
        if "/ma-demande/suivi/" not in confirmation and "merci" not in confirmation.lower():
            raise RuntimeError(f"resident {self.number}: no confirmation page")
        return elapsed


def main():
    from notifications.models import Notification
    from orders.models import Checkout, OrderRequest
    from tests import builders

    settings.PORTAL_REQUEST_RATE_LIMIT = 10 * RESIDENTS * SENDS  # all come from 127.0.0.1
    bakery = builders.shop("Boulangerie du banc d'essai", offers_pickup=True)
    florist = builders.shop("Fleurs du banc d'essai", offers_pickup=True)
    bread = builders.product(bakery, "Pain", price=Decimal("3.20"))
    flowers = builders.product(florist, "Bouquet", price=Decimal("25.00"))

    server = LiveServerThread("127.0.0.1", static_handler=lambda app: app)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    base = f"http://127.0.0.1:{server.port}"
    times, errors = [], []

    def resident(number):
        person = Resident(number, base)
        try:
            for _ in range(SENDS):
                times.append(person.send_one([bread.pk, flowers.pk], [bakery.pk, florist.pk]))
        except Exception as error:  # reported below
            errors.append(f"resident {number}: {error!r}")

    threads = [threading.Thread(target=resident, args=(n,)) for n in range(RESIDENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    server.terminate()

    expected = RESIDENTS * SENDS
    checkouts = Checkout.objects.count()
    requests = OrderRequest.objects.count()
    repeated = (
        Notification.objects.values("to", "template", "reference")
        .annotate(copies=Count("pk"))
        .filter(copies__gt=1)
        .count()
    )
    mails = Notification.objects.count()
    quantiles = statistics.quantiles(times, n=20) if len(times) > 1 else times * 19
    print(
        f"{RESIDENTS} residents × {SENDS} two-shop requests, database: {connection.vendor}, "
        f"{wall:.1f} s in all"
    )
    print(f"send step: p50 {quantiles[9] * 1000:.0f} ms, p95 {quantiles[18] * 1000:.0f} ms")
    print(
        f"stored: {checkouts} checkouts (expected {expected}), {requests} requests "
        f"(expected {2 * expected}), {mails} outbox e-mails, {repeated} stored twice"
    )
    ok = not errors and checkouts == expected and requests == 2 * expected and not repeated
    for error in errors[:5]:
        print(error)
    print("every request and every e-mail stored exactly once" if ok else "MISMATCH")
    return ok


if __name__ == "__main__":
    setup_test_environment()
    test_database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        success = main()
    finally:
        connection.creation.destroy_test_db(test_database, verbosity=0)
    sys.exit(0 if success else 1)
