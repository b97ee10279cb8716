"""`manage.py seed_demo_requests`: a lifelike order book for the demo town, created once."""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from demo.orders import demo_keys
from demo.seed import seed_demo
from merchants.models import ShopMembership
from notifications.models import Notification
from orders.models import Checkout, Fulfilment, OrderRequest, Status

pytestmark = pytest.mark.django_db

# The order book of demo/orders.py (seed_demo adds the courier's round: demo/courier_round.py).
ORDER_BOOK_CHECKOUTS = Checkout.objects.filter(idempotency_key__startswith="demo-request-")
ORDER_BOOK = OrderRequest.objects.filter(checkout__idempotency_key__startswith="demo-request-")
CLOSED = {Status.COMPLETED, Status.DECLINED, Status.NOT_COLLECTED, Status.CANCELLED}


def seed_requests(**options):
    out = io.StringIO()
    call_command("seed_demo_requests", force=True, stdout=out, **options)
    return out.getvalue()


def shop_of(username):
    return ShopMembership.objects.get(user__username=username).shop


@pytest.fixture
def demo_town():
    """The small demo town, without its order book: seed_demo's own function, not the
    command (the courier's round of demo/courier_round.py is part of the town)."""
    seed_demo(size="small")


def test_seeds_a_few_dozen_requests_once(demo_town):
    first = seed_requests()
    snapshot = sorted(OrderRequest.objects.values_list("pk", "reference", "updated_at"))

    second = seed_requests()

    assert "created 37 order requests" in first
    assert "created 0 order requests" in second
    assert sorted(OrderRequest.objects.values_list("pk", "reference", "updated_at")) == snapshot
    assert Checkout.objects.filter(idempotency_key__startswith="demo-request-").count() == 33


def test_demo_keys_cannot_be_worked_out(demo_town, settings):
    seed_requests()

    keys = set(ORDER_BOOK_CHECKOUTS.values_list("idempotency_key", flat=True))
    assert len(keys) == 33
    # 128 bits each, not "demo-request-01": a key is no way in to a demo checkout.
    assert all(re.fullmatch(r"demo-(request|collection)-[0-9a-f]{32}", key) for key in keys)
    # Drawn from the site's secret, not from the numbers alone: another site's differ.
    settings.SECRET_KEY = "another-portal-" + "x" * 40
    assert keys.isdisjoint(demo_keys())


def test_demo_merchants_have_requests_in_many_statuses(demo_town):
    seed_requests()

    for username in ("boulanger", "fleuriste"):
        requests = OrderRequest.objects.filter(shop=shop_of(username))
        statuses = set(requests.values_list("status", flat=True))
        assert requests.count() >= 8, username
        assert Status.NEW in statuses, username
        assert len(statuses) >= 5, (username, statuses)
    assert OrderRequest.objects.values("shop").distinct().count() >= 5
    assert set(OrderRequest.objects.values_list("status", flat=True)) == set(Status.values)


def test_seeding_queues_no_email(demo_town):
    seed_requests()

    assert OrderRequest.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.dated
def test_seeded_requests_are_consistent(demo_town):
    seed_requests()
    now = timezone.now()

    requests = ORDER_BOOK.select_related("shop").prefetch_related("lines", "history")
    for request in requests:
        lines = list(request.lines.all())
        history = list(request.history.all())
        assert lines, request
        assert all(line.product.shop_id == request.shop_id for line in lines)
        assert request.items_total == sum(line.total for line in lines)
        assert request.email.endswith("@example.org")
        assert now - timedelta(days=61) < request.created_at < now
        # The history leads, in order, from "new" to the request's status.
        assert history[0].status == Status.NEW
        assert history[-1].status == request.status
        assert [change.at for change in history] == sorted(change.at for change in history)
        assert history[0].at == request.created_at
        assert request.updated_at == history[-1].at
        if request.status == Status.DECLINED:
            assert history[-1].note
        if request.fulfilment == Fulfilment.DELIVERY:
            assert request.shop.delivers_to(request.postcode), request
            assert request.street_address
            assert request.delivery_fee == request.shop.effective_delivery_fee()
        else:
            assert request.street_address == "" and request.delivery_fee == 0
        if request.status in (Status.READY, Status.NOT_COLLECTED):
            assert request.fulfilment == Fulfilment.PICKUP
        if request.status == Status.OUT_FOR_DELIVERY:
            assert request.fulfilment == Fulfilment.DELIVERY
    # Closed requests are older than open ones on the whole: the demo reads like a real week.
    assert OrderRequest.objects.filter(status__in=CLOSED).exists()
    newest_closed = max(r.created_at for r in requests if r.status in CLOSED)
    assert any(r.created_at > newest_closed - timedelta(days=3) for r in requests)


def test_merchant_acts_on_the_requests_of_its_shop(demo_town):
    seed_requests()
    baker = get_user_model().objects.get(username="boulanger")

    changes = OrderRequest.objects.filter(shop=shop_of("boulanger")).values_list(
        "history__status", "history__by"
    )

    assert (Status.ACCEPTED, baker.pk) in set(changes)
    assert (Status.CANCELLED, baker.pk) not in set(changes)  # the resident cancels


def test_refuses_without_force_when_debug_is_off(settings, demo_town):
    settings.DEBUG = False
    settings.PORTAL_ALLOW_DEMO = False

    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo_requests", stdout=io.StringIO())

    assert not ORDER_BOOK.exists()


def test_without_shops_it_says_to_seed_the_town_first():
    with pytest.raises(CommandError, match="seed_demo"):
        seed_requests()


def test_seed_demo_creates_the_requests_too_and_its_privacy_page_says_how_long(client):
    out = io.StringIO()

    call_command("seed_demo", size="small", force=True, stdout=out)

    assert "created 37 order requests" in out.getvalue()
    assert OrderRequest.objects.filter(shop=shop_of("boulanger")).exists()
    assert OrderRequest.objects.filter(shop=shop_of("fleuriste")).exists()
    assert not Notification.objects.exists()
    privacy = client.get("/vie-privee/").content.decode()
    assert "12 mois après sa clôture" in privacy
    assert "faire effacer" in privacy and "mailto:dpo@valbourg.example" in privacy
