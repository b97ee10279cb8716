"""The demo town sits at the top of the portal: it may import every app, and no app imports
it (tests/test_dependencies.py), so that the portal runs, and each app can be read, without
it."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["home", "merchants", "products", "orders", "notifications", "search", "insights", "portal"]


def modules_of(app):
    return sorted((ROOT / app).rglob("*.py"))


def test_the_demo_town_lives_in_the_demo_app_only():
    # Demo code in another app (products/demo/, orders/demo.py, a seed_demo command) would
    # make that app depend on the ones the demo builds on.
    strays = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in modules_of(app)
        if any("demo" in part for part in path.relative_to(ROOT / app).parts)
    ]

    assert strays == []
