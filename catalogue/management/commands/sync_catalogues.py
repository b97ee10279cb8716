"""Synchronise the catalogue sources whose time has come (cron, every 10 minutes)."""

from django.core.management.base import BaseCommand, CommandError

from catalogue import sync
from catalogue.models import CatalogueSource


class Command(BaseCommand):
    help = "Synchronise the catalogue sources that are due (or the ones named, at once)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", type=int, action="append", help="a source's id: run it now, due or not"
        )

    def handle(self, *args, **options):
        if options["source"]:
            sources = list(CatalogueSource.objects.filter(pk__in=options["source"]))
            if len(sources) != len(set(options["source"])):
                raise CommandError("No catalogue source with one of these ids.")
            runs = [sync.run(source, manual=True) for source in sources]
        else:
            runs = sync.run_due()
        for sync_run in runs:
            if sync_run is None:
                continue
            self.stdout.write(
                f"{sync_run.source} ({sync_run.source.shop}): {sync_run.status}, "
                f"{sync_run.created} created, {sync_run.updated} updated, "
                f"{sync_run.hidden} hidden, {sync_run.unchanged} unchanged, "
                f"{sync_run.skipped} skipped. {sync_run.message}".rstrip()
            )
