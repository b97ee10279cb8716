from django.db import models


class WorkerHeartbeat(models.Model):
    """The last sign of life of one task worker (`manage.py run_worker`), one row per worker
    process; the health endpoint reads the newest. django_tasks_db's worker records none."""

    worker = models.CharField(max_length=200, unique=True)  # host:pid
    beat_at = models.DateTimeField()

    def __str__(self):
        return f"{self.worker} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
