"""Benchmark: synchronise 5,000 products from a local Shopify-shaped source, then again
with no change, then with 10 % of them changed.

The source is a real HTTP server on loopback answering `products.json` pages of 250 in the
shape of a Shopify shop's public answer. Each step prints its wall-clock time, the rows it
wrote (created, updated, hidden) and its SQL queries; the search-index refresh the worker
runs after commit is timed apart ("index"). Three runs, each into a new shop.

Run with `make bench` (SQLite in memory) or `DATABASE_URL=postgres://… make bench`.
The machines are noisy: this is a benchmark, not a test.
"""

import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "5000"))
RUNS = 3
PER_PAGE = 250


def shopify_product(n, changed):
    price = f"{(n % 50) + (1 if changed else 0)}.{n % 100:02d}"
    return {
        "id": 9_000_000 + n,
        "title": f"Produit n°{n}",
        "handle": f"produit-{n}",
        "body_html": f"<p>Fait maison, lot {n}</p>",
        "published_at": "2026-10-01T09:00:00+02:00",
        "vendor": "Banc d'essai",
        "product_type": "Épicerie",
        "tags": [],
        "variants": [
            {
                "id": 7_000_000 + n,
                "title": "Default Title",
                "option1": "Default Title",
                "sku": f"SKU-{n:05d}",
                "available": True,
                "price": price,
                "compare_at_price": None,
                "position": 1,
                "product_id": 9_000_000 + n,
            }
        ],
        "images": [],
        "options": [{"name": "Title", "position": 1, "values": ["Default Title"]}],
    }


class Source(BaseHTTPRequestHandler):
    changed = 0.0  # the share of products whose price changed

    def do_GET(self):
        query = parse_qs(urlsplit(self.path).query)
        page = int(query.get("page", ["1"])[0])
        limit = int(query.get("limit", [str(PER_PAGE)])[0])
        numbers = range((page - 1) * limit, min(page * limit, ROWS))
        every = round(1 / Source.changed) if Source.changed else 0
        products = [shopify_product(n, every and n % every == 0) for n in numbers]
        body = json.dumps({"products": products}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Recorder:
    """Stands in for the reindex task, so that the sync and the index are timed apart."""

    ids = []

    @classmethod
    def enqueue(cls, ids):
        cls.ids = list(ids)


def main():
    from catalogue import sync
    from catalogue.models import CatalogueSource
    from products import importing
    from products.tasks import reindex_products
    from tests import builders

    importing.reindex_products = Recorder
    sync.reindex_products = Recorder
    settings.PORTAL_IMPORT_MAX_ROWS = max(settings.PORTAL_IMPORT_MAX_ROWS, ROWS)
    settings.PORTAL_FETCH_ALLOW_LOOPBACK = True
    server = ThreadingHTTPServer(("127.0.0.1", 0), Source)
    Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    print(f"{ROWS} products from a Shopify-shaped source, database: {connection.vendor}")
    for run in range(1, RUNS + 1):
        shop = builders.shop(f"Banc d'essai {run}")
        source = CatalogueSource.objects.create(shop=shop, kind="shopify", url=url)
        line = []
        for label, changed in (("first", 0.0), ("no change", 0.0), ("10 % changed", 0.1)):
            Source.changed = changed
            Recorder.ids = []
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                sync_run = sync.run(source, manual=True)
                elapsed = time.perf_counter() - start
            assert sync_run.status == "success", sync_run.message
            start = time.perf_counter()
            if Recorder.ids:
                reindex_products.call(Recorder.ids)
            index = time.perf_counter() - start
            line.append(
                f"{label}: {elapsed:.2f} s, {sync_run.created} created, {sync_run.updated} "
                f"updated, {sync_run.unchanged} unchanged ({len(queries)} queries), "
                f"index {index:.2f} s"
            )
        print(f"run {run}: " + "; ".join(line))
    server.shutdown()


if __name__ == "__main__":
    setup_test_environment()
    test_database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        main()
    finally:
        connection.creation.destroy_test_db(test_database, verbosity=0)
