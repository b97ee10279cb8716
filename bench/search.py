"""Benchmark: what one search costs, for common words, a phrase, a typo and each filter.

Run on a seeded demo town (`seed_demo`, `seed_demo --size large`) named by the settings
(PORTAL_VAR_DIR's SQLite file or DATABASE_URL's server): each search is requested with
Django's test client once to warm up, then BENCH_REQUESTS times, past the page cache and
each time as a search not seen before (a counter in its address, so that the results kept
with a page are not read back: each request runs the search), in a process whose start-up
objects are frozen as gunicorn's workers are. The median CPU time of the process, the
median wall-clock time (the database server's share on PostgreSQL) and the SQL queries are
printed, one line per search. `make bench-search` runs it on a normal and a large town,
each asked in turn for the same search, and prints both side by side:
`bench/search.py NORMAL LARGE`, each a SQLite folder (PORTAL_VAR_DIR) or a postgres://
address (DATABASE_URL).
"""

import gc
import itertools
import os
import statistics
import subprocess
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

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))


def searches():
    from merchants.models import Neighbourhood, ShopCategory
    from products.models import ProductCategory

    def slug(model):
        return model.objects.order_by("pk").values_list("slug", flat=True).first()

    return {
        "pain": "q=pain",
        '"pain de campagne"': "q=%22pain+de+campagne%22",
        "croisants (typo)": "q=croisants",
        "pain + category": f"q=pain&category={slug(ShopCategory)}",
        "pain + neighbourhood": f"q=pain&neighbourhood={slug(Neighbourhood)}",
        "pain + product category": f"q=pain&product_category={slug(ProductCategory)}",
        "pain + available": "q=pain&available=on",
        "pain + pick-up": "q=pain&pickup=on",
        "pain + delivery": "q=pain&delivery=on",
        "pain + open now": "q=pain&open_now=on",
        "pain, shops only": "q=pain&kind=shops",
        "pain, products only": "q=pain&kind=products",
        "pain, by price": "q=pain&sort=price",
        "pain, page 2": "q=pain&page=2",
    }


_numbers = itertools.count()


def measure(client, url):
    assert client.get(url).status_code == 200  # warm-up
    cpu, wall = [], []
    for _ in range(REQUESTS):
        # A search the town has not seen yet (its address differs), so it runs: a repeated
        # one reads the results kept with its page. The rest of the page's kept parts stay
        # warm, as on a live site.
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        client.get(f"{url}&bench={next(_numbers)}")
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{url}&bench={next(_numbers)}")
    # Cards shown: a town where a search finds 2 products renders 2 cards, a larger one 20.
    cards = response.content.decode().count('class="card__link"')
    return statistics.median(cpu) * 1000, statistics.median(wall) * 1000, len(queries), cards


def town_client():
    settings.ALLOWED_HOSTS = ["*"]
    # The search itself is measured, not the page cache's copy of its answer.
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "home.page_cache.PageCacheMiddleware"
    ]
    client = Client(HTTP_HOST="localhost")
    # As gunicorn's workers run (portal/gunicorn.conf.py): what was loaded at start is set
    # aside from the garbage collector, which would otherwise walk it at every full
    # collection, and a page making more objects (20 cards rather than 2) would pay for it.
    gc.freeze()
    return client


def one_town():
    client = town_client()
    for name, query in searches().items():
        cpu, wall, queries, cards = measure(client, f"/search/?{query}")
        print(f"{name}\t{cpu:.1f}\t{wall:.1f}\t{queries}\t{cards}", flush=True)


def serve():
    """For side_by_side: the names of the searches on the first line, then one line of
    figures for each name read from the standard input."""
    client = town_client()
    queries = searches()
    print("\t".join(queries), flush=True)
    for line in sys.stdin:
        name = line.rstrip("\n")
        cpu, wall, count, cards = measure(client, f"/search/?{queries[name]}")
        print(f"{cpu:.3f}\t{wall:.3f}\t{count}\t{cards}", flush=True)


def side_by_side(normal_dir, large_dir):
    """Each town in a process of its own (its own PORTAL_VAR_DIR or DATABASE_URL), asked for
    the same search in turn, BENCH_ROUNDS times (2), so that the machine's ups and downs fall
    on both; each figure is the lower of the rounds' medians. Then one table: the large
    town's cost against the normal one's (the goal is at most 1.5), in CPU time and in
    wall-clock time (which holds the database server's share on PostgreSQL)."""

    def start(town):
        variable = "DATABASE_URL" if "://" in town else "PORTAL_VAR_DIR"
        return subprocess.Popen(
            [sys.executable, __file__, "--serve"],
            env={**os.environ, variable: town},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    towns = [start(normal_dir), start(large_dir)]
    names, large_names = (town.stdout.readline().rstrip("\n").split("\t") for town in towns)
    assert names == large_names, "the two towns have different searches"
    figures = {name: ([], []) for name in names}  # per town: [(cpu, wall, queries, cards)]
    for _ in range(ROUNDS):
        for name in names:
            for town, results in zip(towns, figures[name], strict=True):
                town.stdin.write(name + "\n")
                town.stdin.flush()
                cpu, wall, queries, cards = town.stdout.readline().split("\t")
                results.append((float(cpu), float(wall), int(queries), int(cards)))
    for town in towns:
        town.stdin.close()
        if town.wait():
            raise SystemExit("a town's process failed")
    print(
        f"{'search':<26} {'CPU ms normal':>13} {'large':>7} {'ratio':>6}"
        f" {'wall ms normal':>14} {'large':>7} {'ratio':>6} {'queries':>9} {'cards':>9}"
    )
    for name, (normal, large) in figures.items():
        cpu, large_cpu = min(r[0] for r in normal), min(r[0] for r in large)
        wall, large_wall = min(r[1] for r in normal), min(r[1] for r in large)
        print(
            f"{name:<26} {cpu:13.1f} {large_cpu:7.1f} {large_cpu / cpu:6.2f}"
            f" {wall:14.1f} {large_wall:7.1f} {large_wall / wall:6.2f}"
            f" {normal[0][2]:>4} / {large[0][2]:>3} {normal[0][3]:>4} / {large[0][3]:>3}"
        )


def main():
    if len(sys.argv) == 3:
        side_by_side(*sys.argv[1:])
        return
    if "--serve" in sys.argv:
        serve()
        return
    print("search\tCPU ms\twall ms\tqueries\tcards")
    one_town()


if __name__ == "__main__":
    main()
