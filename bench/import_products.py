"""Benchmark: import 5,000 products into one shop, then import them again (updates).

"import" is what the merchant waits for (reading, checking, bulk writes); "index" is the
search-index refresh the worker runs after commit, timed on its own here.

Run with `make bench` (SQLite in memory) or `DATABASE_URL=postgres://… make bench`
(a throw-away test database on that server). Prints wall-clock times of three runs and
the number of SQL queries; the machines are noisy, so this is a benchmark, not a test.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "5000"))
RUNS = 3


def csv_bytes(price_offset=0):
    lines = ["name;price;description;category;availability;sku"]
    for n in range(ROWS):
        price = f"{(n % 50) + price_offset},{n % 100:02d}"
        lines.append(f"Produit n°{n};{price};Fait maison, lot {n};;en stock;SKU-{n:05d}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def timed(function):
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - start
    return result, elapsed, len(queries)


class Recorder:
    """Stands in for the reindex task, so that the import and the index are timed apart."""

    ids = []

    @classmethod
    def enqueue(cls, ids):
        cls.ids = ids


def main():
    from products import importing
    from products.tasks import reindex_products
    from tests import builders

    importing.reindex_products = Recorder
    # BENCH_ROWS may go past the import's limit on lines: the bench measures, it does not refuse.
    settings.PORTAL_IMPORT_MAX_ROWS = max(settings.PORTAL_IMPORT_MAX_ROWS, ROWS)
    print(f"{ROWS} rows, database: {connection.vendor}, {RUNS} runs each")
    for run in range(1, RUNS + 1):
        shop = builders.shop(f"Banc d'essai {run}")
        line = []
        for label, offset in (("create", 0), ("update", 1)):
            plan, parse_time, _queries = timed(
                lambda shop=shop, offset=offset: importing.parse(shop, csv_bytes(offset))
            )
            counts, write_time, queries = timed(lambda plan=plan: importing.apply(plan))
            assert ROWS in counts, counts
            _n, index_time, index_queries = timed(lambda: reindex_products.call(Recorder.ids))
            line.append(
                f"{label}: import {parse_time + write_time:.2f} s ({queries} queries), "
                f"index {index_time:.2f} s ({index_queries} queries)"
            )
        print(f"run {run}: " + "; ".join(line))


if __name__ == "__main__":
    setup_test_environment()
    test_database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        main()
    finally:
        connection.creation.destroy_test_db(test_database, verbosity=0)
