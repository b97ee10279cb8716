import time

from django.core.management.base import BaseCommand

from notifications.outbox import send_due


class Command(BaseCommand):
    help = (
        "Send the e-mails of the outbox that are due, once. In production run it every "
        "minute from cron, beside the task worker, so that mail still leaves when a task "
        "was lost: * * * * * cd /srv/portal && .venv/bin/python manage.py "
        "send_notifications --verbosity 0. With --loop it sends every --interval seconds "
        "until interrupted. Failed attempts are logged as warnings whatever the verbosity."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", action="store_true", help="Keep sending until interrupted (Ctrl+C)."
        )
        parser.add_argument(
            "--interval", type=int, default=60, help="Seconds between two rounds with --loop."
        )
        parser.add_argument(
            "--limit", type=int, default=100, help="At most this many e-mails per round."
        )

    def handle(self, *args, loop, interval, limit, verbosity, **options):
        try:
            while True:
                counts = send_due(limit=limit)
                if verbosity >= 2 or (verbosity == 1 and any(counts.values())):
                    self.stdout.write(", ".join(f"{key}: {n}" for key, n in counts.items()))
                if not loop:
                    return
                time.sleep(interval)
        except KeyboardInterrupt:
            # A row being sent keeps its lease, which expires: the next run takes it up.
            return
