"""Import a shop's products from a CSV file, as the admin's import page does (for city staff)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from merchants.models import MerchantPage
from products import importing


class Command(BaseCommand):
    help = (
        "Create or update a shop's products from a CSV file: the portal's columns, or a "
        "Shopify or WooCommerce product export. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("shop", help="the shop page's slug or id")
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and change nothing"
        )

    def handle(self, shop, file, dry_run, **options):
        shops = MerchantPage.objects.all()
        found = (shops.filter(pk=shop) if shop.isdigit() else shops.filter(slug=shop)).first()
        if found is None:
            raise CommandError(f"No shop {shop!r}.")
        try:
            plan = importing.parse(found, file.read_bytes())
        except OSError as error:
            raise CommandError(str(error)) from None
        except importing.UnreadableFile as problem:
            raise CommandError(str(problem)) from None
        for row in plan.rows:
            for error in row.errors:
                self.stderr.write(f"line {row.line}: {error}")
            for warning in row.warnings:
                self.stdout.write(f"line {row.line}: {warning}")
        if not plan.is_valid:
            raise CommandError(f"{len(plan.errors)} line(s) with errors: nothing was imported.")
        if dry_run:
            self.stdout.write(f"{plan.created} to create, {plan.updated} to update (dry run).")
            return
        created, updated = importing.apply(plan)
        self.stdout.write(self.style.SUCCESS(f"{created} created, {updated} updated."))
