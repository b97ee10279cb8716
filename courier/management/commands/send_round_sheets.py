from django.core.management.base import BaseCommand
from django.utils import timezone

from courier.sheets import send_round_sheets


class Command(BaseCommand):
    help = (
        "E-mail each courier with deliveries today the link to its round sheet. Run it each "
        "morning from cron: 0 7 * * * cd /srv/portal && .venv/bin/python manage.py "
        "send_round_sheets --verbosity 0. Running it again the same day sends nothing twice."
    )

    def handle(self, *args, verbosity, **options):
        sent = send_round_sheets(timezone.localdate())
        if verbosity >= 1:
            self.stdout.write(f"sent {sent} round sheet(s)")
