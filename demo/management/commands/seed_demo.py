from django.conf import settings

from demo.seed import SIZES, seed_demo

from ._demo import DemoCommand


class Command(DemoCommand):
    help = (
        "Fill the database with the demo town of Valbourg: shops, products, content pages, "
        "a campaign and log-ins, then its order requests (seed_demo_requests) and twelve "
        "weeks of history (seed_demo_history). Running it again creates nothing."
    )
    adds = "fictional shops and users with a known password"

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            choices=list(SIZES),
            default="normal",
            help="small: 6 shops (tests); normal: about 45 shops and 500 products (default); "
            "large: 500 shops and 20,000 products (performance).",
        )
        super().add_arguments(parser)

    def handle(self, *args, size, force, verbosity, **options):
        self.refuse_on_a_live_site(force)
        password = getattr(settings, "PORTAL_DEMO_PASSWORD", "") or "demo"
        log = self.stdout.write if verbosity > 1 else None
        town = seed_demo(size=size, password=password, log=log)
        self.stdout.write(self.style.SUCCESS(f"Demo town ({size}): {town.summary()}"))
        self.seed_order_requests()
        self.seed_history()
        self.seed_catalogue_sources()
        for line in town.login_lines():
            self.stdout.write(line)
