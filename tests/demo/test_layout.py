"""The demo town sits at the top of the portal: it may import every app, and no app imports
it, so that the portal runs, and each app can be read, without it."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["home", "merchants", "products", "orders", "notifications", "search", "insights", "portal"]


def modules_of(app):
    return sorted((ROOT / app).rglob("*.py"))


def imported_names(path):
    # ast.walk reaches the imports inside functions too, not only the module's header.
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_no_app_imports_the_demo():
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for app in APPS
        for path in modules_of(app)
        for name in imported_names(path)
        if name.partition(".")[0] == "demo"
    ]

    assert offenders == []


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
