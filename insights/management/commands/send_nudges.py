from django.core.management.base import BaseCommand

from insights.nudges import send_due


class Command(BaseCommand):
    help = (
        "Store in the outbox the nudges that are due: the monthly report (from the 1st), "
        "the reminder to shops not updated for PORTAL_STALE_AFTER_DAYS days, the reminder "
        "about requests unanswered after PORTAL_UNANSWERED_REMINDER_HOURS and the city's "
        "copy after PORTAL_UNANSWERED_CITY_HOURS. Never twice for the same period, so it may "
        "run as often as wanted; in production every hour from cron: "
        "7 * * * * cd /srv/portal && .venv/bin/python manage.py send_nudges --verbosity 0"
    )

    def handle(self, *args, verbosity, **options):
        counts = send_due()
        if verbosity >= 2 or (verbosity == 1 and any(counts.values())):
            self.stdout.write(", ".join(f"{kind}: {n}" for kind, n in counts.items()))
