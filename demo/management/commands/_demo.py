"""What the demo's commands share (a module starting with "_" is not a command itself)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.history import SEED, seed_history
from demo.orders import seed_demo_requests
from demo.sources import seed_sources


class DemoCommand(BaseCommand):
    """A command that adds fictional data: it refuses to run with DEBUG off (perhaps a live
    site) unless PORTAL_ALLOW_DEMO is set or it is given --force."""

    adds = ""  # what the command adds, for its refusal

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though DEBUG is off (never on a live site).",
        )

    def refuse_on_a_live_site(self, force):
        if force or settings.DEBUG or getattr(settings, "PORTAL_ALLOW_DEMO", False):
            return
        name = self.__module__.rpartition(".")[2]
        raise CommandError(
            f"DEBUG is off, so this may be a live site: {name} adds {self.adds}. Run it with "
            "--force if this database is really a throwaway one."
        )

    def seed_order_requests(self):
        try:
            created = seed_demo_requests()
        except LookupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"created {created} order requests"))

    def seed_catalogue_sources(self):
        for sync_run in seed_sources():
            self.stdout.write(
                f"catalogue source of {sync_run.source.shop}: {sync_run.get_status_display()}, "
                f"{sync_run.created} products created. {sync_run.message}".rstrip()
            )

    def seed_history(self, seed=SEED, replace=False):
        outcome = seed_history(seed=seed, replace=replace)
        self.stdout.write(self.style.SUCCESS(outcome.summary()))
