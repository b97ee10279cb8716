"""What the load balancer asks each app server (GET /health/): can it serve the portal?

Each check answers a dict of details or raises; any exception fails that check alone, so
the answer names every failing part. Only the check's name and a short reason are shown:
the endpoint needs no log-in, and an exception's text may hold an address or a user name."""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from notifications.models import Notification

from .models import WorkerHeartbeat

logger = logging.getLogger("portal.health")


class Unhealthy(Exception):
    """A check's failure, with a reason fit to show anyone."""


def database(now):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def cache_round_trip(now):
    key = f"portal:health:{uuid.uuid4().hex}"
    cache.set(key, "1", 30)
    found = cache.get(key)
    cache.delete(key)
    if found != "1":
        raise Unhealthy("a value written to the cache was not read back")
    return {}


def worker(now):
    last = WorkerHeartbeat.objects.aggregate(last=Max("beat_at"))["last"]
    if last is None:
        raise Unhealthy("no task worker has ever beaten (is manage.py run_worker running?)")
    age = round((now - last).total_seconds())
    if age > 3 * settings.PORTAL_WORKER_HEARTBEAT_SECONDS:
        raise Unhealthy(f"the task worker's last heartbeat was {age} s ago")
    return {"last_heartbeat_seconds_ago": max(age, 0)}


def outbox(now):
    oldest = (
        Notification.objects.due(now)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    waiting = round((now - oldest).total_seconds() / 60) if oldest else 0
    if oldest and now - oldest > timedelta(minutes=settings.PORTAL_OUTBOX_LATE_MINUTES):
        raise Unhealthy(f"an e-mail due {waiting} minutes ago is still not sent")
    return {"oldest_due_minutes": waiting}


CHECKS = {"database": database, "cache": cache_round_trip, "worker": worker, "outbox": outbox}


def run_checks():
    now = timezone.now()
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = {"ok": True, **check(now)}
        except Unhealthy as problem:
            results[name] = {"ok": False, "error": str(problem)}
            logger.warning("Health check %s failing: %s", name, problem)
        except Exception as error:  # any failure of a part is that part's alone
            results[name] = {"ok": False, "error": type(error).__name__}
            logger.warning("Health check %s failing", name, exc_info=True)
    return results
