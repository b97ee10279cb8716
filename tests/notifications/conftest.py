from decimal import Decimal

import pytest

from notifications import outbox


@pytest.fixture
def hello(db):
    """Enqueue the test e-mail of templates/emails/tests/hello_*."""

    def enqueue(to="resident@example.org", **kwargs):
        context = {"shop": "Dupont & fils", "total": Decimal("12.50")}
        return outbox.enqueue(to=to, template="tests/hello", context=context, **kwargs)

    return enqueue
