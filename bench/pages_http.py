"""Benchmark: the portal's pages over HTTP, served as in production, cached and uncached.

For each demo town (normal, then large: 500 shops and 20,000 products), seeded once in a
folder of its own under var/bench/ (SQLite, kept for the next run; BENCH_RESEED=1 seeds it
again), two servers run as `make serve` runs the portal: gunicorn (portal/gunicorn.conf.py)
with 2 sync workers, the production settings, DEBUG off, plain HTTP, the cache in the
database. One keeps pages in the page cache (PORTAL_PAGE_CACHE_SECONDS=600), the other
keeps none (PORTAL_PAGE_CACHE_SECONDS=0: each request looks in the cache, misses and
renders, what a visitor gets after any change). Redis, a bucket and PostgreSQL are not
used here: it is the one-machine town.

wrk (`-t2 -c4`, as a browser-like visitor) warms each page up on each server, then
measures home, shop index, the shop page with the most products, one of its products and
a search for "pain", interleaved page by page and server by server, BENCH_ROUNDS times.
Prints a Markdown table for README: requests per second and the latency's p50 and p95
(means of the rounds), with the machine it ran on. Any failed request is counted and
makes the run fail.

    make bench-pages                         # about 10 minutes, plus the first seeding
    BENCH_SECONDS=2 BENCH_ROUNDS=1 BENCH_SIZES=normal make bench-pages   # a quick look

Needs wrk: `sudo apt-get install wrk` (Debian, Ubuntu) or `brew install wrk` (macOS).
"""

import json
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import defaultdict
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from statistics import fmean

ROOT = Path(__file__).resolve().parent.parent
TOWNS = Path(os.environ.get("BENCH_TOWNS", ROOT / "var" / "bench"))
SIZES = os.environ.get("BENCH_SIZES", "normal large").split()
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "2"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
LOAD = ["-t2", "-c4"]
LUA = Path(__file__).resolve().parent / "latency.lua"
AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
HEADERS = {"User-Agent": AGENT, "Accept-Language": "fr"}
MODES = {"cached": 600, "uncached": 0}  # PORTAL_PAGE_CACHE_SECONDS
# A town here is the one-machine town: none of these from the caller's environment.
SERVICES = ["DATABASE_URL", "REDIS_URL", "PORTAL_S3_BUCKET", "PORTAL_FRONTEND_CACHE_URL"]
PAGES = "import json; from bench.pages import public_pages; print(json.dumps(public_pages()))"


def environment(town, settings, **variables):
    names = {k: v for k, v in os.environ.items() if k not in SERVICES}
    return {**names, "DJANGO_SETTINGS_MODULE": settings, "PORTAL_VAR_DIR": str(town), **variables}


def manage(town, *args, settings="portal.settings.dev", **variables):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment(town, settings, **variables),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def production(**variables):
    """The variables `make serve` sets, for a server on loopback."""
    return {
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PORTAL_HTTPS": "0",
        "PORTAL_SERVE_MEDIA": "1",
        "PORTAL_ALLOW_DEMO": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "WEB_CONCURRENCY": "2",
        "PORTAL_WEB_LOG_LEVEL": "warning",
        **variables,
    }


def prepare(size):
    """The town's folder, seeded (once) and ready for the production settings; its pages."""
    town = TOWNS / size
    seeded = town / "seeded"
    if os.environ.get("BENCH_RESEED") and town.exists():
        shutil.rmtree(town)
    town.mkdir(parents=True, exist_ok=True)
    manage(town, "migrate", "--noinput")
    if not seeded.exists():
        print(
            f"Seeding the {size} demo town in {town} (the large one takes some minutes)…",
            flush=True,
        )
        manage(town, "seed_demo", "--size", size)
        seeded.touch()
    settings = "portal.settings.production"
    manage(town, "createcachetable", settings=settings, **production())
    manage(town, "collectstatic", "--noinput", "-v", "0", settings=settings, **production())
    return town, json.loads(manage(town, "shell", "-v", "0", "-c", PAGES).splitlines()[-1])


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url):
    request = urllib.request.Request(url, headers=HEADERS)
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.headers.get("X-Cache", "-"), len(response.read())


@contextmanager
def server(town, mode):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    variables = production(
        PORTAL_BIND=f"127.0.0.1:{port}", PORTAL_PAGE_CACHE_SECONDS=str(MODES[mode])
    )
    with open(town / f"gunicorn-{mode}.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "portal/gunicorn.conf.py", "portal.wsgi"],
            cwd=ROOT,
            env=environment(town, "portal.settings.production", **variables),
            stdout=log,
            stderr=log,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(base + "/robots.txt")
                break
            except (urllib.error.URLError, OSError):
                if process.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"gunicorn did not start: see {town / f'gunicorn-{mode}.log'}")
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=60)


def wrk(url, seconds):
    command = ["wrk", *LOAD, f"-d{seconds}s", "--timeout", "30s", "-s", str(LUA)]
    for name, value in HEADERS.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    figures = dict(word.split("=") for word in line.split()[1:])
    return {
        "rps": int(figures["requests"]) / (int(figures["duration_us"]) / 1e6),
        "p50": int(figures["p50_us"]) / 1000,
        "p95": int(figures["p95_us"]) / 1000,
        "errors": int(figures["errors"]),
    }


def machine():
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or platform.machine(),
    )
    return f"{os.cpu_count()} × {model}"


def load():
    return " ".join(f"{figure:.2f}" for figure in os.getloadavg())


def main():
    if not shutil.which("wrk"):
        sys.exit("make bench-pages needs wrk: sudo apt-get install wrk (or brew install wrk).")
    towns = {size: prepare(size) for size in SIZES}
    started, load_before = datetime.now(UTC), load()
    results, weight, cache_said = defaultdict(list), {}, {}
    for size, (town, pages) in towns.items():
        with server(town, "cached") as cached, server(town, "uncached") as uncached:
            bases = {"cached": cached, "uncached": uncached}
            for page, path in pages.items():
                for mode, base in bases.items():
                    get(base + path)
                    cache_said[size, page, mode], weight[size, page] = get(base + path)
                    wrk(base + path, WARMUP)
            for _ in range(ROUNDS):
                for page, path in pages.items():
                    for mode, base in bases.items():
                        results[size, page, mode].append(wrk(base + path, SECONDS))
    print_table(towns, results, weight, cache_said, started, load_before)
    failed = sum(run["errors"] for runs in results.values() for run in runs)
    if failed:
        sys.exit(f"{failed} requests failed: see the gunicorn logs under {TOWNS}")


def print_table(towns, results, weight, cache_said, started, load_before):
    print()
    print(
        f"`make bench-pages`, {started:%Y-%m-%d %H:%M} UTC, on {machine()}; load average "
        f"{load_before} before and {load()} after (1, 5, 15 min). gunicorn with 2 sync "
        f"workers, production settings, SQLite; `wrk {' '.join(LOAD)} -d{SECONDS}s` after a "
        f"{WARMUP} s warm-up, pages interleaved, mean of {ROUNDS} round(s). Latency in ms."
    )
    print()
    print(
        "| town | page | KB | cached req/s | p50 | p95 | uncached req/s | p50 | p95 | × |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    for size, (_, pages) in towns.items():
        for page in pages:
            cells = [size, page, f"{weight[size, page] / 1024:.0f}"]
            rates = {}
            for mode in MODES:
                runs = results[size, page, mode]
                rates[mode] = fmean(run["rps"] for run in runs)
                rate = f"{rates[mode]:.1f}"
                if mode == "cached" and cache_said[size, page, mode] != "HIT":
                    rate += f" ({cache_said[size, page, mode]})"
                cells += [
                    rate,
                    f"{fmean(run['p50'] for run in runs):.1f}",
                    f"{fmean(run['p95'] for run in runs):.1f}",
                ]
            cells.append(f"{rates['cached'] / rates['uncached']:.0f}")
            print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
