import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from operations.heartbeat import Heartbeat, beat, worker_name


class Command(db_worker.Command):
    help = (
        "Run the task worker (django_tasks_db's db_worker, same options) and record its "
        "heartbeat every PORTAL_WORKER_HEARTBEAT_SECONDS for the health endpoint. Use it "
        "instead of db_worker."
    )

    def handle(self, *args, reload, batch, **options):
        # With --reload this process only restarts the one that runs the tasks: that one beats.
        if reload and not batch and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            return super().handle(*args, reload=reload, batch=batch, **options)
        worker = worker_name()
        beat(worker)  # at once: the health endpoint sees the worker as soon as it starts
        heartbeat = Heartbeat(worker)
        heartbeat.start()
        try:
            return super().handle(*args, reload=reload, batch=batch, **options)
        finally:
            heartbeat.stop()
