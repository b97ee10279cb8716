"""Benchmark: what each public page costs one process, and its SQL queries.

On the database the settings name (a seeded demo town: `PORTAL_VAR_DIR=/tmp/town
manage.py seed_demo`, or DATABASE_URL's server), each page is requested with Django's test
client once to warm the caches a live site keeps warm, then BENCH_REQUESTS times; the
median CPU time of the process (less disturbed by other programs than wall-clock time),
the number of SQL queries and the page's size are printed. `--profile PAGE` prints where
one request of that page spends its time (cProfile, cumulative).

    PORTAL_VAR_DIR=/tmp/town DJANGO_SETTINGS_MODULE=portal.settings.dev python bench/pages.py
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "10"))


def public_pages():
    from merchants.models import MerchantIndexPage, MerchantPage

    shop = (
        MerchantPage.objects.live()
        .public()
        .annotate(n=django.db.models.Count("products"))
        .order_by("-n", "pk")
        .first()
    )
    return {
        "home": "/",
        "shop index": MerchantIndexPage.objects.live().first().url,
        "shop": shop.url,
        "product": shop.products.filter(is_active=True).order_by("pk").first().url,
        "search pain": "/search/?q=pain",
    }


def measure(client, url):
    response = client.get(url)  # warm-up
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(REQUESTS):
        start = time.process_time()
        client.get(url)
        timings.append(time.process_time() - start)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return statistics.median(timings) * 1000, len(queries), len(response.content)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", help="a page's name, or a path")
    parser.add_argument("--limit", type=int, default=40)
    arguments = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    client = Client(HTTP_HOST="localhost")
    pages = public_pages()
    if arguments.profile:
        url = pages.get(arguments.profile, arguments.profile)
        client.get(url)
        profile = cProfile.Profile()
        profile.enable()
        client.get(url)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(arguments.limit)
        return
    print(f"{'page':<14} {'CPU ms':>8} {'queries':>8} {'KB':>6}")
    for name, url in pages.items():
        cpu, queries, size = measure(client, url)
        print(f"{name:<14} {cpu:8.1f} {queries:8d} {size / 1024:6.1f}")


if __name__ == "__main__":
    main()
