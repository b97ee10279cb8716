"""The demo town of Valbourg, for `manage.py seed_demo` (data, pictures, seeding)."""

from .seed import SIZES, DemoSeeder, Result, seed_demo

__all__ = ["SIZES", "DemoSeeder", "Result", "seed_demo"]
