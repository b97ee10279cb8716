from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from insights.demo import SEED, seed_history


class Command(BaseCommand):
    help = (
        "Add twelve weeks of believable history to the demo town (seed_demo runs it): page "
        "views and visit intents, order requests and their answers, searches, and the public "
        "numbers page. Does nothing when there is history already, unless --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though DEBUG is off (never on a live site).",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the history of the last twelve weeks (daily counts, searches, the "
            "requests this command made) and write it again.",
        )
        parser.add_argument(
            "--seed", default=SEED, help="The random seed: the same seed, the same history."
        )

    def handle(self, *args, force, replace, seed, **options):
        allowed = settings.DEBUG or getattr(settings, "PORTAL_ALLOW_DEMO", False)
        if not (allowed or force):
            raise CommandError(
                "DEBUG is off, so this may be a live site: seed_demo_history adds fictional "
                "statistics and order requests. Run it with --force if this database is "
                "really a throwaway one."
            )
        outcome = seed_history(seed=seed, replace=replace)
        self.stdout.write(self.style.SUCCESS(outcome.summary()))
