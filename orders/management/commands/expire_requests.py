from django.core.management.base import BaseCommand
from django.db import transaction

from orders.expiry import expire_due


class Command(BaseCommand):
    help = (
        "Expire the order requests still new after PORTAL_REQUEST_EXPIRES_AFTER_HOURS hours "
        "(72 by default), once their shop has been open for a whole day since they were "
        "sent, and e-mail their residents and shops. Run it hourly from cron: "
        "5 * * * * cd /srv/portal && .venv/bin/python manage.py expire_requests "
        "--verbosity 0. Running it again expires and mails nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would expire, change nothing and send nothing.",
        )

    def handle(self, *args, dry_run, verbosity, **options):
        if dry_run:
            # The real work, rolled back (the outbox's rows with it): exactly a real run's count.
            with transaction.atomic():
                outcome = expire_due()
                transaction.set_rollback(True)
            verb = "would expire"
        else:
            outcome = expire_due()
            verb = "expired"
        if verbosity >= 1:
            self.stdout.write(f"{verb} {outcome.summary()}")
