from django_tasks_db.management.commands import db_worker

from operations.heartbeat import Heartbeat, beat, worker_name


class Command(db_worker.Command):
    help = (
        "Run the task worker (django_tasks_db's db_worker, same options) and record its "
        "heartbeat every PORTAL_WORKER_HEARTBEAT_SECONDS for the health endpoint. Use it "
        "instead of db_worker; give it --no-reload under a process supervisor."
    )

    def handle(self, *args, **options):
        worker = worker_name()
        beat(worker)  # at once: the health endpoint sees the worker as soon as it starts
        heartbeat = Heartbeat(worker)
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
