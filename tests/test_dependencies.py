"""The apps' dependencies point one way, as ../shared/STYLE.md draws them: an app imports
only the apps below it, so that each can be read, and changed, knowing only those.

Every import counts, those inside functions too (ast.walk reaches them): a lazy import is a
dependency all the same. Migrations are left out: they name the models they migrate."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BASE = {"home", "notifications"}
# What each app may import of ours (its own modules aside).
MAY_IMPORT = {
    "home": set(),
    "notifications": set(),
    "merchants": BASE,
    "products": BASE | {"merchants"},
    "orders": BASE | {"merchants", "products"},
    # Catalogue sources write products; the feeds read them (and their sources' brands).
    "catalogue": BASE | {"merchants", "products"},
    # Follows, back-in-stock alerts and digests read shops, products, news and events;
    # orders reaches them by hooks.
    "subscriptions": BASE | {"merchants", "products", "news", "events"},
    # Shop news belongs to shops; the feeds read it too.
    "news": BASE | {"merchants"},
    "feeds": BASE | {"merchants", "products", "news"},
    "events": BASE | {"merchants"},
    # Collection points are the city's; they reuse the shops' opening-hours rules.
    # A grouped pick-up gathers order requests; orders reaches it by hooks.
    "collection": BASE | {"merchants", "orders"},
    # The town's courier delivers requests: it plugs into the checkout (a hook of orders).
    "courier": BASE | {"merchants", "orders"},
    # search and insights read the others; insights' reports read search's query log
    # (SearchRecord), which STYLE.md's "read the others" covers. Nobody imports either,
    # but portal (its URLs).
    "search": BASE | {"merchants", "products", "orders"},
    "insights": BASE | {"merchants", "products", "orders", "search"},
    # Operating the portal (health, restore checks) reads the others; only portal imports it.
    "operations": BASE | {"merchants", "products", "orders"},
    # The demo town imports whatever it needs; nobody imports it, portal included.
    "demo": BASE
    | {"merchants", "products", "catalogue", "events", "orders", "search", "insights"}
    | {"courier", "collection", "news"},
    "portal": BASE
    | {"merchants", "products", "catalogue", "feeds", "events", "orders", "search", "insights"}
    | {"operations"},
}

# Imports that point the wrong way today, each with its reason; "module imports app".
EXCEPTIONS = {
    # The shop page serves its products' pages under its own address (the product route,
    # the listing, the sitemap and the redirects kept when the shop's slug changes): the
    # page model is merchants', what it shows is products'. See the closing note of issue
    # 13. (A shop's "last update" reads what the apps declare: `shop_activity`.)
    "merchants/models/shops.py imports products",
}


def modules_of(app):
    return sorted(path for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts)


def imported_apps(path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]  # a relative import stays in its own app
        else:
            continue
        for name in names:
            app = name.partition(".")[0]
            if app in MAY_IMPORT:
                yield app


def imports_between_apps():
    return {
        f"{path.relative_to(ROOT).as_posix()} imports {imported}"
        for app in MAY_IMPORT
        for path in modules_of(app)
        for imported in imported_apps(path)
        if imported != app and imported not in MAY_IMPORT[app]
    }


def test_every_app_imports_only_the_apps_below_it():
    wrong_way = sorted(imports_between_apps() - EXCEPTIONS)

    # Every one of them, not the first: the message lists them all.
    assert not wrong_way, "Imports against the dependency rule:\n" + "\n".join(wrong_way)


def test_every_exception_is_still_needed():
    # An exception the code no longer needs is removed, so that it cannot hide a new one.
    assert sorted(EXCEPTIONS - imports_between_apps()) == []
