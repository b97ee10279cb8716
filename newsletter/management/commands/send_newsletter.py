from django.core.management.base import BaseCommand

from newsletter import sending


class Command(BaseCommand):
    help = (
        "Enqueue the next batch of each newsletter being sent, when its turn has come "
        "(PORTAL_NEWSLETTER_BATCH_SIZE, PORTAL_NEWSLETTER_BATCH_INTERVAL). Run it from cron."
    )

    def handle(self, *args, **options):
        for newsletter, count in sending.send_due().items():
            self.stdout.write(f"{newsletter.pk}: {count}")
