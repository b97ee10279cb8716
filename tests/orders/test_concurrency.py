"""Two concurrent posts of the same checkout create exactly one set of requests and e-mails.

Real concurrency needs two database connections, which the SQLite test database (in
memory, one shared connection) cannot give; CI runs this on PostgreSQL, where it must pass.
"""

import threading

import pytest
from django.db import connection

from notifications.models import Notification
from orders.checkout import AlreadyPlaced, place
from orders.forms import CheckoutForm
from orders.models import Checkout, OrderRequest
from orders.request_list import RequestList

# serialized_rollback: another transactional test may have run before and left the
# database empty (Django restores its contents at the start of such a test, not the end).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs two real database connections: runs on PostgreSQL (make test-postgres, CI)",
)
def test_two_concurrent_posts_create_one_checkout(bakery, baguette):
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from wagtail.models import Site

    session = SessionStore()
    RequestList(session).add(baguette, 2)
    groups, _orphans = RequestList(session).groups()
    answers = {
        "name": "Marie Dubois",
        "email": "marie@example.org",
        "phone": "0470 12 34 56",
        CheckoutForm.shop_field(bakery, "fulfilment"): "pickup",
    }
    site = Site.objects.get(is_default_site=True)
    start = threading.Barrier(2)
    outcomes = []

    def post():
        try:
            start.wait()
            checkout = place(groups, answers, key="same-key", language="fr", site=site)
            outcomes.append(("placed", checkout.pk))
        except AlreadyPlaced as already:
            outcomes.append(("already", already.checkout.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(kind for kind, _pk in outcomes) == ["already", "placed"]
    assert len({pk for _kind, pk in outcomes}) == 1  # both answers name the same checkout
    assert Checkout.objects.count() == 1
    assert OrderRequest.objects.count() == 1
    # One e-mail to the shop and one to the resident, not two of each.
    assert Notification.objects.count() == 2
