"""Benchmark: twelve weeks of demo history (`seed_demo_history`) for a two-shop town and for
the whole demo town, written three times each (--replace).

This was a timed assertion in the suite ("under 5 s"); timings belong here, the machines
are noisy. Run with `make bench` (SQLite in memory) or `DATABASE_URL=postgres://… make bench`.
Prints the wall-clock time of each run, the median, and how many rows were written.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

RUNS = 3


def two_shop_town():
    from tests import builders

    builders.home_page()
    for title in ("Boulangerie du banc", "Fleurs du banc"):
        shop = builders.shop(title)
        for n in range(5):
            builders.product(shop, f"{title} n°{n}")


def bench(label):
    from demo.history import seed_history

    times = []
    for _run in range(RUNS):
        start = time.perf_counter()
        outcome = seed_history(replace=True)
        times.append(time.perf_counter() - start)
    runs = ", ".join(f"{t:.2f}" for t in times)
    print(
        f"{label}: {outcome.shops} shops, {outcome.counts} daily counts, "
        f"{outcome.requests} requests, {outcome.searches} searches; "
        f"runs {runs} s; median {statistics.median(times):.2f} s"
    )


def main():
    from django.core.management import call_command

    print(f"database: {connection.vendor}, {RUNS} runs each")
    two_shop_town()
    bench("two shops")
    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))
    bench("demo town")


if __name__ == "__main__":
    setup_test_environment()
    test_database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        main()
    finally:
        connection.creation.destroy_test_db(test_database, verbosity=0)
