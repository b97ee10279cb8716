from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from orders.demo import seed_demo_requests


class Command(BaseCommand):
    help = (
        "Add a few dozen order requests in every status to the demo town (seed_demo runs "
        "it), most for the shops of the demo merchants boulanger and fleuriste. No e-mail "
        "is queued. Running it again creates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though DEBUG is off (never on a live site).",
        )

    def handle(self, *args, force, **options):
        allowed = settings.DEBUG or getattr(settings, "PORTAL_ALLOW_DEMO", False)
        if not (allowed or force):
            raise CommandError(
                "DEBUG is off, so this may be a live site: seed_demo_requests adds fictional "
                "order requests. Run it with --force if this database is really a throwaway one."
            )
        try:
            created = seed_demo_requests()
        except LookupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"created {created} order requests"))
