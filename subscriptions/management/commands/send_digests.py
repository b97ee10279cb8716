from django.core.management.base import BaseCommand

from subscriptions.digest import send_digests
from subscriptions.lifecycle import forget_idle, forget_unconfirmed


class Command(BaseCommand):
    help = (
        "E-mail each subscriber's weekly digest when it is due and has something to say; "
        "forget the subscriptions never confirmed and the addresses left with none. Run it "
        "once a week (or more often: nobody gets two digests within a week)."
    )

    def handle(self, *args, **options):
        # A shop or product deleted takes its subscriptions with it: their addresses go too.
        forgotten = forget_unconfirmed() + forget_idle()
        sent = send_digests()
        if options["verbosity"]:
            self.stdout.write(f"{sent} digests sent; {forgotten} addresses forgotten.")
