from decimal import Decimal
from pathlib import Path

import pytest

from notifications import outbox


@pytest.fixture(autouse=True)
def outbox_test_templates(settings):
    """The outbox's tests mail templates of their own (emails/tests/*), kept here rather than
    among the portal's e-mails."""
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {**engine, "DIRS": [*engine["DIRS"], Path(__file__).parent / "templates"]}
    ]


@pytest.fixture
def hello(db):
    """Enqueue the test e-mail of templates/emails/tests/hello_*, next to this file."""

    def enqueue(to="resident@example.org", **kwargs):
        context = {"shop": "Dupont & fils", "total": Decimal("12.50")}
        return outbox.enqueue(to=to, template="tests/hello", context=context, **kwargs)

    return enqueue
