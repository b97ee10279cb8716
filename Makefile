# The portal's two everyday commands: `make run` and `make test`; `make serve` runs it as in
# production on this machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_SETTINGS := DJANGO_SETTINGS_MODULE=portal.settings.test
# The suite runs in one process per core (pytest-xdist); WORKERS=0 runs it in this one.
WORKERS ?= auto

.PHONY: run serve test test-postgres test-multiserver bench bench-orders bench-pages bench-search lint format check install seed clean

# The address served, in every link the portal writes (set_site_url gives it to the site).
run serve: export WAGTAILADMIN_BASE_URL = http://$(HOST):$(PORT)

# The virtualenv is rebuilt only when a requirements file changes.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# The demo shops' catalogue sources are served beside the portal (loopback, dev only) from
# before seed_demo, which runs their first sync.
run: install
	mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) set_site_url
	@$(MANAGE) serve_demo_catalogues & CATALOGUES=$$!; \
		trap 'kill $$CATALOGUES $$WORKER 2>/dev/null' EXIT INT TERM; \
		sleep 1; $(MANAGE) seed_demo || exit 1; \
		echo "Serving the portal on http://$(HOST):$(PORT)/ (Ctrl+C stops the server and the task worker)"; \
		$(MANAGE) run_worker --verbosity 0 & WORKER=$$!; \
		$(MANAGE) runserver $(HOST):$(PORT)

# The portal as in production, on this machine, for a town's IT to try: production
# settings, gunicorn (portal/gunicorn.conf.py) and the task worker, the demo town, SQLite in
# var/ or DATABASE_URL's server. Only what a trial on one machine needs differs from a real
# deployment: plain HTTP, a secret key made once in var/secret_key, mail written to
# var/mail/, media served by the portal itself.
serve: export DJANGO_SETTINGS_MODULE = portal.settings.production
serve: export ALLOWED_HOSTS = $(HOST),127.0.0.1,localhost
serve: export CSRF_TRUSTED_ORIGINS = http://$(HOST):$(PORT)
serve: export PORTAL_HTTPS = 0
serve: export PORTAL_SERVE_MEDIA = 1
serve: export PORTAL_ALLOW_DEMO = 1
serve: export PORTAL_FETCH_ALLOW_LOOPBACK = 1
serve: export EMAIL_BACKEND = django.core.mail.backends.filebased.EmailBackend
serve: export PORTAL_BIND = $(HOST):$(PORT)
serve: install var/secret_key
	@export SECRET_KEY="$$(cat var/secret_key)"; set -e; \
		$(MANAGE) migrate --noinput; \
		$(MANAGE) createcachetable; \
		$(MANAGE) collectstatic --noinput --verbosity 0; \
		$(MANAGE) set_site_url; \
		$(MANAGE) serve_demo_catalogues & CATALOGUES=$$!; \
		trap 'kill $$CATALOGUES $$WORKER 2>/dev/null' EXIT INT TERM; \
		sleep 1; $(MANAGE) seed_demo; \
		echo "Serving the portal on http://$(HOST):$(PORT)/ with gunicorn (Ctrl+C stops it and the task worker)"; \
		$(MANAGE) run_worker --verbosity 0 & WORKER=$$!; \
		$(VENV)/bin/gunicorn --config portal/gunicorn.conf.py portal.wsgi

# Made once, kept out of git (var/ is ignored), readable by its owner only.
var/secret_key:
	mkdir -p var
	umask 077; $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(64))" > $@

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: install
	$(TEST_SETTINGS) $(MANAGE) check
	$(TEST_SETTINGS) $(MANAGE) makemigrations --check --dry-run

# The dated tests also run at each moment of the calendar sweep (tests/timetravel.py);
# PYTEST_ARGS="--now=2031-07-14T09:00Z" runs the whole suite as if it were that moment.
test: lint check
	$(TEST_SETTINGS) $(VENV)/bin/pytest -n $(WORKERS) $(PYTEST_ARGS)
	$(TEST_SETTINGS) $(VENV)/bin/pytest -m browser $(PYTEST_ARGS)

# The same suite on a real PostgreSQL server; DATABASE_URL must point at it
# (default: the local server's "portal" role and database, as .ci/run sets them up).
test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://portal:portal@127.0.0.1:5432/portal} \
		$(TEST_SETTINGS) $(VENV)/bin/pytest -n $(WORKERS) $(PYTEST_ARGS)

# Two app servers behind nginx, sharing PostgreSQL (a throw-away database on DATABASE_URL's
# server, default as for test-postgres), Redis and an S3-compatible store, all started by
# tests/multiserver/test_two_servers.py: a checkout across servers, a publish purging both,
# the rate limits, renditions and page counts. Needs nginx and redis-server (Debian).
test-multiserver: install
	$(TEST_SETTINGS) $(VENV)/bin/pytest -m multiserver tests/multiserver $(PYTEST_ARGS)

# Import 5,000 products and import them again; sync 5,000 from a local Shopify-shaped
# source (again unchanged, then 10 % changed); then a shop and a product page's throughput
# with counting off and on; then the demo history for two shops and for the demo town.
# SQLite, or DATABASE_URL's server.
bench: install
	$(TEST_SETTINGS) $(VENV)/bin/python bench/import_products.py
	$(TEST_SETTINGS) $(VENV)/bin/python bench/sync_products.py
	$(TEST_SETTINGS) $(VENV)/bin/python bench/counting.py
	$(TEST_SETTINGS) $(VENV)/bin/python bench/seed_history.py

# 20 residents sending two-shop requests at once through the real HTTP flow, on PostgreSQL
# (DATABASE_URL, default the local server's "portal" role as for test-postgres): p50/p95 of
# the send step, and every request and outbox row stored exactly once.
bench-orders: install
	DATABASE_URL=$${DATABASE_URL:-postgres://portal:portal@127.0.0.1:5432/portal} \
		$(TEST_SETTINGS) $(VENV)/bin/python bench/orders.py

# The public pages' throughput and latency over HTTP (wrk), served as `make serve` serves
# them (gunicorn, 2 sync workers, production settings), with and without the page cache, on
# the normal and the large demo town (seeded once under var/bench/; the large one takes some
# minutes). Prints the Markdown table kept in README. BENCH_SECONDS, BENCH_ROUNDS and
# BENCH_SIZES=normal make it shorter (bench/pages_http.py).
bench-pages: install
	@command -v wrk >/dev/null || { echo "make bench-pages needs wrk: sudo apt-get install wrk (Debian, Ubuntu) or brew install wrk (macOS)"; exit 1; }
	$(PY) bench/pages_http.py

# A search's cost on the normal demo town and on the large one (500 shops, 20,000
# products), side by side: common words, a phrase, a typo and each filter. Both towns are
# seeded in throw-away SQLite folders (the large one takes some minutes). On PostgreSQL:
# `$(PY) bench/search.py postgres://…/normal_town postgres://…/large_town`.
bench-search: install
	@towns=$$(mktemp -d); trap 'rm -rf $$towns' EXIT; \
	for size in normal large; do \
		PORTAL_VAR_DIR=$$towns/$$size $(MANAGE) migrate --noinput >/dev/null && \
		PORTAL_VAR_DIR=$$towns/$$size $(MANAGE) seed_demo --size $$size >/dev/null || exit 1; \
	done; \
	$(PY) bench/search.py $$towns/normal $$towns/large

seed: install
	$(MANAGE) seed_demo

clean:
	rm -rf $(VENV) var
