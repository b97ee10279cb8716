from demo.history import SEED

from ._demo import DemoCommand


class Command(DemoCommand):
    help = (
        "Add twelve weeks of believable history to the demo town (seed_demo runs it): page "
        "views and visit intents, order requests and their answers, searches, and the public "
        "numbers page. Does nothing when there is history already, unless --replace."
    )
    adds = "fictional statistics and order requests"

    def add_arguments(self, parser):
        super().add_arguments(parser)
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
        self.refuse_on_a_live_site(force)
        self.seed_history(seed=seed, replace=replace)
