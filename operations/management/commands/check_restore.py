import random

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from merchants.models import MerchantPage
from notifications.models import Notification
from orders.models import OrderRequest
from products.models import Product


class Command(BaseCommand):
    help = (
        "Check a restored copy of the portal (README, Backups): every migration applied, the "
        "counts of shops, products and requests, each image's and document's file (and "
        "rendition's) present in storage, the outbox readable. Exits with status 1 and the "
        "list of what is wrong, if anything is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sample",
            type=int,
            default=0,
            help="Check the files of this many images, renditions and documents of each kind, "
            "picked at random (default: all of them).",
        )

    def handle(self, *args, sample, **options):
        if sample < 0:
            raise CommandError("--sample takes a positive number (0: every file).")
        self.problems = []
        for check in (self.migrations, self.counts, self.files, self.outbox):
            try:
                check(sample)
            except DatabaseError as error:
                self.problems.append(f"{check.__name__}: the database refused a query ({error})")
        if self.problems:
            raise CommandError(
                "The restored copy is not complete:\n"
                + "\n".join(f"- {problem}" for problem in self.problems)
            )
        self.stdout.write(self.style.SUCCESS("The restored copy is complete."))

    def migrations(self, sample):
        executor = MigrationExecutor(connection)
        missing = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if missing:
            names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in missing[:5])
            self.problems.append(
                f"{len(missing)} migrations not applied ({names}…): run manage.py migrate "
                "if the copy is older than the code"
            )
        else:
            self.stdout.write("migrations: all applied")

    def counts(self, sample):
        counts = {
            "shops": MerchantPage.objects.count(),
            "live shops": MerchantPage.objects.live().count(),
            "products": Product.objects.count(),
            "order requests": OrderRequest.objects.count(),
        }
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))

    def files(self, sample):
        image_model = get_image_model()
        kinds = {
            "image": image_model.objects.all(),
            "rendition": image_model.get_rendition_model().objects.all(),
            "document": get_document_model().objects.all(),
        }
        for kind, rows in kinds.items():
            names = list(rows.values_list("file", flat=True))
            if sample and len(names) > sample:
                names = random.sample(names, sample)
            storage = rows.model._meta.get_field("file").storage
            missing = [name for name in names if not name or not storage.exists(name)]
            self.stdout.write(f"{kind} files: {len(names) - len(missing)} of {len(names)} found")
            if missing:
                self.problems.append(
                    f"{len(missing)} of {len(names)} {kind} files missing from the storage "
                    f"(the first: {missing[0] or 'no file name'})"
                    + (
                        "; renditions are made again once their rows are deleted: manage.py "
                        "wagtail_update_image_renditions --purge-only"
                        if kind == "rendition"
                        else ": restore the media with the database"
                    )
                )

    def outbox(self, sample):
        pending = Notification.objects.pending().count()
        failed = Notification.objects.failed().count()
        self.stdout.write(f"outbox: {pending} e-mails waiting, {failed} failed")
