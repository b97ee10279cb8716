"""The order admin's addresses: reversed through orders.admin_urls, named nowhere else."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import resolve

from orders.admin_urls import order_admin_url, order_admin_url_name
from orders.transitions import ACTIONS

from ..builders import order_request

pytestmark = pytest.mark.django_db

# A quoted name, in Python or a template: `{% url 'orders_orderrequest_modeladmin_inspect' %}`.
LITERAL_NAME = re.compile(r"""["']orders_orderrequest_modeladmin_""")
OURS = ("*.py", "*.html", "*.txt")


def test_the_helper_reverses_the_views_the_order_admin_registers(bakery):
    order = order_request(bakery)
    assert order_admin_url("index") == "/admin/orders/orderrequest/"
    assert order_admin_url("inspect", order.pk) == f"/admin/orders/orderrequest/inspect/{order.pk}/"
    for action in ("index", "inspect", *ACTIONS):
        path = order_admin_url(action, None if action == "index" else order.pk)
        assert resolve(path).url_name == order_admin_url_name(action)


def test_no_module_or_template_names_the_order_admins_urls_by_hand():
    base = Path(settings.BASE_DIR)
    skipped = {"tests", "node_modules", "var", "static"}
    folders = [
        folder
        for folder in base.iterdir()
        if folder.is_dir() and not folder.name.startswith(".") and folder.name not in skipped
    ]
    found = [
        str(path.relative_to(base))
        for folder in folders
        for pattern in OURS
        for path in folder.rglob(pattern)
        if LITERAL_NAME.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert found == []
