from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from orders.privacy import anonymise_due


class Command(BaseCommand):
    help = (
        "Anonymise the personal data of the order requests closed at least "
        "PORTAL_ANONYMISE_AFTER_MONTHS months ago (12 by default), and of their e-mails. "
        "Amounts, lines, shop, dates and status stay. Run it daily from cron: "
        "15 3 * * * cd /srv/portal && .venv/bin/python manage.py anonymise_requests "
        "--verbosity 0. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be anonymised, change nothing.",
        )

    def handle(self, *args, dry_run, verbosity, **options):
        months = settings.PORTAL_ANONYMISE_AFTER_MONTHS
        if months < 0:
            raise CommandError("PORTAL_ANONYMISE_AFTER_MONTHS cannot be negative.")
        if dry_run:
            # The real work, rolled back: the counts are exactly those of a real run.
            with transaction.atomic():
                outcome = anonymise_due(months=months)
                transaction.set_rollback(True)
            verb = "would anonymise"
        else:
            outcome = anonymise_due(months=months)
            verb = "anonymised"
        if verbosity >= 1:
            self.stdout.write(f"{verb} {outcome.summary()}")
