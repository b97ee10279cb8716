# Each module registers its own hooks; importing them here is what makes Wagtail see them.
from . import counting, dashboard, nudges, reports  # noqa: F401
