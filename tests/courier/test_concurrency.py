"""Two checkouts at once for the last place of a window: one gets it, the other is told.

Real concurrency needs two database connections, which the SQLite test database cannot
give; CI runs this on PostgreSQL, where it must pass (tests/orders/test_concurrency.py)."""

import threading
from datetime import time

import pytest
from django.db import connection, transaction

from courier.models import Stop
from courier.windows import open_slots
from orders.checkout import NotPlaced, place
from orders.forms import CheckoutForm
from orders.models import OrderRequest
from orders.request_list import RequestList
from tests import builders

from .conftest import make_courier

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs two real database connections: runs on PostgreSQL (make test-postgres, CI)",
)
def test_two_checkouts_never_fill_a_window_beyond_its_capacity(bakery):
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from wagtail.models import Site

    bakery.courier_delivery = True
    bakery.save_revision().publish()
    courier = make_courier(bakery, windows=[(day, time(20), time(21), 1) for day in range(7)])
    baguette = builders.product(bakery, "Baguette", price="1.30")
    session = SessionStore()
    RequestList(session).add(baguette, 2)
    groups, _orphans = RequestList(session).groups()
    slot = open_slots(courier, bakery)[0]
    answers = {
        "name": "Marie Dubois",
        "email": "marie@example.org",
        "phone": "0470 12 34 56",
        "street_address": "Rue Haute 3",
        "postcode": "7000",
        "town": "Valbourg",
        CheckoutForm.shop_field(bakery, "fulfilment"): "courier",
        CheckoutForm.shop_field(bakery, "courier_window"): slot.value,
    }
    site = Site.objects.get(is_default_site=True)
    first_placed, second_done = threading.Event(), threading.Event()
    outcomes = {}

    def attempt(key):
        try:
            place(groups, answers, key=key, language="fr", site=site)
            outcomes[key] = "placed"
        except NotPlaced:
            outcomes[key] = "full"

    def first():
        # Holds its transaction open until the second checkout is done or blocked: the
        # second one counts the window's places while the first has not committed yet.
        try:
            with transaction.atomic():
                attempt("first")
                first_placed.set()
                second_done.wait(timeout=3)
        finally:
            connection.close()

    def second():
        try:
            first_placed.wait(timeout=30)
            attempt("second")
        finally:
            second_done.set()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes == {"first": "placed", "second": "full"}
    assert Stop.objects.filter(starts_at=slot.starts_at).count() == 1
    assert OrderRequest.objects.count() == 1
