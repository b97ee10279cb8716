"""Several app servers share one Redis, one object store and one front cache, each switched on
by the environment alone (portal/settings/production.py). The tests start real servers on
loopback (tests/portal/services.py); "another server" is a second process running the
production settings, or a second client of the same Redis or store."""

import importlib
import json

import pytest
from django.core.cache import CacheHandler, cache

from home.forms import rate_limited
from orders.request_list import SESSION_KEY
from portal.settings.env import cache_from_url
from tests import builders
from tests.portal import services
from tests.portal.test_settings import random_secret_key, run_manage

CACHED_DB_SESSIONS = "django.contrib.sessions.backends.cached_db"


# Redis: the cache, the rate limits and the sessions ---------------------------------------


@pytest.fixture(scope="session")
def redis_url():
    with services.redis_server() as url:
        yield url


@pytest.fixture
def on_redis(settings, redis_url):
    """This process is an app server with production's Redis settings, on an empty Redis."""
    restart_redis(redis_url)
    settings.CACHES = {"default": cache_from_url(redis_url)}
    settings.SESSION_ENGINE = CACHED_DB_SESSIONS
    return redis_url


def restart_redis(redis_url):
    """What a restart of a Redis that keeps nothing on disk leaves: nothing."""
    services.redis_command(redis_url, "FLUSHALL")


def production_server(tmp_path, code, **variables):
    """Run `code` in another process with the production settings and these environment
    variables; what it prints last, as JSON."""
    script = "import json; from django.conf import settings; " + code
    result = run_manage(
        tmp_path, "shell", "-v", "0", "-c", script, SECRET_KEY=random_secret_key(), **variables
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


CACHE_AND_SESSIONS = (
    "print(json.dumps([settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE]))"
)


def test_a_rate_limit_counts_the_hits_of_every_server(on_redis, tmp_path):
    # Three checkouts from one address on the other server, the fourth here: refused.
    code = (
        "from home.forms import rate_limited; from django.core.cache import cache; "
        "cache.set('greeting', 'from the other server'); "
        "print(json.dumps([rate_limited('checkout', '203.0.113.7', 3, 60) for _ in range(3)]))"
    )
    assert production_server(tmp_path, CACHE_AND_SESSIONS, REDIS_URL=on_redis) == [
        "django_redis.cache.RedisCache",
        CACHED_DB_SESSIONS,
    ]
    assert production_server(tmp_path, code, REDIS_URL=on_redis) == [False] * 3

    assert cache.get("greeting") == "from the other server"
    assert rate_limited("checkout", "203.0.113.7", 3, 60) is True
    assert rate_limited("checkout", "198.51.100.2", 3, 60) is False


def test_without_redis_production_keeps_its_cache_and_sessions_in_the_database(tmp_path):
    assert production_server(tmp_path, CACHE_AND_SESSIONS) == [
        "django.core.cache.backends.db.DatabaseCache",
        "django.contrib.sessions.backends.db",
    ]


@pytest.mark.django_db
def test_a_request_list_is_read_from_redis_by_any_server_and_survives_a_restart(
    on_redis, client, django_assert_num_queries
):
    bakery = builders.shop("Boulangerie Dupont")
    baguette = builders.product(bakery, "Baguette tradition", price="1.30")
    client.post("/ma-demande/ajouter/", {"product": baguette.pk, "quantity": 2})
    session_key = client.cookies["sessionid"].value

    # Another server: a client of its own to the same Redis finds the session there, and
    # reading it costs no query.
    other = CacheHandler({"default": cache_from_url(on_redis)})["default"]
    engine = importlib.import_module(CACHED_DB_SESSIONS)
    assert other.get(engine.KEY_PREFIX + session_key)[SESSION_KEY][str(baguette.pk)]
    with django_assert_num_queries(0):
        assert engine.SessionStore(session_key).load()[SESSION_KEY][str(baguette.pk)]

    # Redis restarts empty: the list is still the resident's, from the database.
    restart_redis(on_redis)
    page = client.get("/ma-demande/").content.decode()

    assert "Baguette tradition" in page
