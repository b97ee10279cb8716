from ._demo import DemoCommand


class Command(DemoCommand):
    help = (
        "Add a few dozen order requests in every status to the demo town (seed_demo runs "
        "it), most for the shops of the demo merchants boulanger and fleuriste. No e-mail "
        "is queued. Running it again creates nothing."
    )
    adds = "fictional order requests"

    def handle(self, *args, force, **options):
        self.refuse_on_a_live_site(force)
        self.seed_order_requests()
