"""Two residents sending at once never take more collections than the point has places.

Real concurrency needs two database connections, which the SQLite test database cannot
give; CI runs this on PostgreSQL, where it must pass (as tests/orders/test_concurrency.py)."""

import threading

import pytest
from django.db import connection

from collection.models import GroupedPickup
from orders.checkout import NotPlaced, place
from orders.forms import CheckoutForm
from orders.request_list import RequestList
from tests import builders

from .conftest import next_weekday, town_hall

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs two real database connections: runs on PostgreSQL (make test-postgres, CI)",
)
def test_two_checkouts_at_once_never_exceed_the_points_capacity():
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from wagtail.models import Site

    point = town_hall(capacity_per_day=1)
    baker = builders.shop("Boulangerie Dupont", grouped_pickup=True)
    session = SessionStore()
    RequestList(session).add(builders.product(baker, "Baguette"), 1)
    groups, _orphans = RequestList(session).groups()
    day = next_weekday(5)
    site = Site.objects.get(is_default_site=True)
    start = threading.Barrier(2)
    outcomes = []

    def post(number):
        answers = {
            "name": f"Résident {number}",
            "email": f"resident{number}@example.org",
            "phone": "0470 12 34 56",
            CheckoutForm.shop_field(baker, "fulfilment"): "collection",
            "collection_point": str(point.pk),
            "collection_day": day,
        }
        try:
            start.wait()
            place(groups, answers, key=f"key-{number}", language="fr", site=site)
            outcomes.append("placed")
        except NotPlaced:
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["full", "placed"]
    assert GroupedPickup.objects.filter(point=point, day=day).count() == 1
