"""The load balancer's health endpoint (/health/): 200 when the portal can serve, 503 naming
each failing part: the database, the cache, the task worker's heartbeat, the outbox."""

from datetime import timedelta

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import override_settings
from django.utils import timezone

from notifications.models import Notification
from operations.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


class UnreachableCache(LocMemCache):
    """A cache whose server does not answer reads (a Redis gone away)."""

    def get(self, key, default=None, version=None):
        raise ConnectionError("cache server unreachable")


@pytest.fixture
def worker_alive():
    return WorkerHeartbeat.objects.create(worker="app1:42", beat_at=timezone.now())


def health(client):
    response = client.get("/health/")
    return response, response.json()


def due_email(minutes_ago):
    return Notification.objects.create(
        to="commandes@boulangerie-dupont.example",
        template="orders/request_received_shop",
        language="fr",
        next_attempt_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def test_all_parts_working_answer_200_and_are_never_cached(client, worker_alive):
    due_email(minutes_ago=2)  # due, but the sender has time yet

    response, body = health(client)

    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert set(body["checks"]) == {"database", "cache", "worker", "outbox"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["outbox"]["oldest_due_minutes"] == 2
    assert "no-store" in response["Cache-Control"]


def test_no_log_in_is_needed(client, worker_alive):
    response, _ = health(client)

    assert response.status_code == 200  # not a redirect to the admin's log-in


def test_a_database_that_refuses_queries_fails_the_database(client, worker_alive, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(connection, "cursor", refuse)
    response, body = health(client)
    monkeypatch.undo()

    assert response.status_code == 503
    assert body["status"] == "failing"
    # The worker and outbox checks read the database too; the cache is still told apart.
    assert body["failing"] == ["database", "worker", "outbox"]
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    assert body["checks"]["cache"]["ok"]


@override_settings(CACHES={"default": {"BACKEND": f"{__name__}.UnreachableCache"}})
def test_a_cache_that_cannot_be_read_fails_the_cache(client, worker_alive):
    response, body = health(client)

    assert response.status_code == 503
    assert body["failing"] == ["cache"]
    assert body["checks"]["cache"] == {"ok": False, "error": "ConnectionError"}


def test_a_worker_that_never_beat_fails_the_worker(client):
    response, body = health(client)

    assert response.status_code == 503
    assert body["failing"] == ["worker"]
    assert "run_worker" in body["checks"]["worker"]["error"]


@override_settings(PORTAL_WORKER_HEARTBEAT_SECONDS=30)
def test_a_worker_silent_for_three_heartbeats_fails_the_worker(client):
    beat = WorkerHeartbeat.objects.create(
        worker="app1:42", beat_at=timezone.now() - timedelta(seconds=80)
    )
    assert health(client)[0].status_code == 200

    beat.beat_at = timezone.now() - timedelta(seconds=100)
    beat.save()
    response, body = health(client)

    assert response.status_code == 503
    assert body["failing"] == ["worker"]
    assert "last heartbeat was 100 s ago" in body["checks"]["worker"]["error"]


@override_settings(PORTAL_OUTBOX_LATE_MINUTES=15)
def test_an_email_due_for_too_long_fails_the_outbox(client, worker_alive):
    due_email(minutes_ago=20)
    Notification.objects.create(  # sent long ago: not waiting
        to="a@example.org",
        template="orders/request_received_shop",
        language="fr",
        next_attempt_at=timezone.now() - timedelta(days=2),
        sent_at=timezone.now() - timedelta(days=2),
    )

    response, body = health(client)

    assert response.status_code == 503
    assert body["failing"] == ["outbox"]
    assert body["checks"]["outbox"] == {
        "ok": False,
        "error": "an e-mail due 20 minutes ago is still not sent",
    }


# The worker closes the database connection between tasks, as a long-running process
# should: the test cannot run inside a transaction of its own.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_task_worker_beats_as_soon_as_it_starts(client):
    assert health(client)[1]["failing"] == ["worker"]

    call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert WorkerHeartbeat.objects.count() == 1
    response, body = health(client)
    assert response.status_code == 200
    assert body["checks"]["worker"]["last_heartbeat_seconds_ago"] == 0
