"""The task worker's heartbeat: a row the worker rewrites every few seconds, so that the
health endpoint (operations/health.py) can tell a live worker from a dead one."""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# Rows of workers gone for this long are removed (a restart is a new process, a new row).
FORGET_AFTER = timedelta(days=1)


def worker_name():
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def beat(worker):
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(worker=worker, defaults={"beat_at": now})
    WorkerHeartbeat.objects.filter(beat_at__lt=now - FORGET_AFTER).delete()


class Heartbeat(threading.Thread):
    """Beats every PORTAL_WORKER_HEARTBEAT_SECONDS beside the worker's loop until stopped."""

    def __init__(self, worker):
        super().__init__(name="worker-heartbeat", daemon=True)
        self.worker = worker
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.wait(settings.PORTAL_WORKER_HEARTBEAT_SECONDS):
            try:
                beat(self.worker)
            except DatabaseError:
                # The database is away: the health endpoint says so; beat again next time.
                logger.warning("The worker's heartbeat could not be written.", exc_info=True)
            finally:
                connection.close()  # this thread's own connection

    def stop(self):
        self.stopped.set()
