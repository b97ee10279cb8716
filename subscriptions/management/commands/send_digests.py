from django.core.management.base import BaseCommand

from subscriptions.digest import send_digests
from subscriptions.lifecycle import forget_unconfirmed


class Command(BaseCommand):
    help = (
        "E-mail each subscriber's weekly digest when it is due and has something to say; "
        "forget the subscriptions never confirmed. Run it once a week (or more often: "
        "nobody gets two digests within a week)."
    )

    def handle(self, *args, **options):
        forgotten = forget_unconfirmed()
        sent = send_digests()
        if options["verbosity"]:
            self.stdout.write(f"{sent} digests sent; {forgotten} unconfirmed addresses forgotten.")
