from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from products.demo import SIZES, seed_demo


class Command(BaseCommand):
    help = (
        "Fill the database with the demo town of Valbourg: shops, products, content pages, "
        "a campaign and log-ins. Running it again creates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            choices=list(SIZES),
            default="normal",
            help="small: 6 shops (tests); normal: about 45 shops and 500 products (default); "
            "large: 500 shops and 20,000 products (performance).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though DEBUG is off (never on a live site).",
        )

    def handle(self, *args, size, force, verbosity, **options):
        allowed = settings.DEBUG or getattr(settings, "PORTAL_ALLOW_DEMO", False)
        if not (allowed or force):
            raise CommandError(
                "DEBUG is off, so this may be a live site: seed_demo adds fictional shops "
                "and users with a known password. Run it with --force if this database is "
                "really a throwaway one."
            )
        password = getattr(settings, "PORTAL_DEMO_PASSWORD", "") or "demo"
        log = self.stdout.write if verbosity > 1 else None
        result = seed_demo(size=size, password=password, log=log)
        self.stdout.write(self.style.SUCCESS(f"Demo town ({size}): {result.summary()}"))
        # By name: products must not import orders or insights, which build on it.
        call_command("seed_demo_requests", force=force, stdout=self.stdout, verbosity=verbosity)
        call_command("seed_demo_history", force=force, stdout=self.stdout, verbosity=verbosity)
        for line in result.login_lines():
            self.stdout.write(line)
