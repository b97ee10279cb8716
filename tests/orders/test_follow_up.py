"""After sending: the resident's status page, a cancellation racing the shop's answer, mail
after an erasure, and the shop's dashboard reminder of pick-ups left waiting."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from notifications.models import Notification
from orders import transitions
from orders.checkout import cancel
from orders.dashboard import NewRequestsPanel
from orders.models import OrderRequest, Status
from orders.privacy import erase_resident

from .. import builders
from ..builders import order_request

pytestmark = pytest.mark.django_db

TOMORROW = timezone.now() + timedelta(days=1)


def status_url(order):
    return reverse("orders:status", args=[order.checkout.status_token])


# Cancelling while the shop answers


def test_a_cancellation_read_before_the_shop_accepted_does_not_undo_the_acceptance(
    baker, bakery, django_capture_on_commit_callbacks
):
    order = order_request(bakery)
    read_by_the_resident = OrderRequest.objects.get(pk=order.pk)
    transitions.accept(order, baker, ready_at=TOMORROW)

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = cancel(read_by_the_resident)

    order.refresh_from_db()
    assert cancelled is False
    assert order.status == Status.ACCEPTED
    assert list(order.history.values_list("status", flat=True)) == ["new", "accepted"]
    assert not Notification.objects.filter(to=bakery.order_email).exists()


def test_the_resident_is_told_when_the_shop_answered_first(client, baker, bakery):
    order = order_request(bakery)
    transitions.accept(order, baker, ready_at=TOMORROW)
    client.cookies["django_language"] = "en"

    response = client.post(status_url(order), {"cancel": order.reference}, follow=True)

    assert "can no longer be cancelled" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Status.ACCEPTED


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no SELECT … FOR UPDATE: a write locks the whole database there",
)
def test_cancelling_locks_the_request_row(bakery):
    order = order_request(bakery)
    with CaptureQueriesContext(connection) as queries:
        assert cancel(order) is True

    [locking] = [query["sql"] for query in queries if "FOR UPDATE" in query["sql"]]
    assert 'FOR UPDATE OF "orders_orderrequest"' in locking


# No mail to an erased resident


def test_an_answer_to_an_erased_residents_request_is_recorded_but_not_mailed(
    baker, bakery, django_capture_on_commit_callbacks, mailoutbox
):
    order = order_request(bakery, email="marie@example.org")
    erase_resident("marie@example.org")
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        transitions.decline(order, baker, reason="Fermé pour inventaire.")

    order.refresh_from_db()
    assert order.status == Status.DECLINED
    assert order.history.last().note == "Fermé pour inventaire."
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_an_answer_to_another_resident_is_still_mailed(
    baker, bakery, django_capture_on_commit_callbacks, mailoutbox
):
    order = order_request(bakery, email="paul@example.org")
    erase_resident("marie@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        transitions.decline(order, baker, reason="Fermé pour inventaire.")

    assert [message.to for message in mailoutbox] == [["paul@example.org"]]


# What the resident reads on the status page


def test_the_status_page_shows_the_ready_time_and_the_shops_note(client, baker, bakery):
    order = order_request(
        bakery, lines=[("Baguette tradition", "1.30", 2), ("Croissant", "1.20", 3)]
    )
    ready_at = timezone.make_aware(timezone.datetime(2030, 3, 13, 10, 30))
    # The changes are written into the history in the language of the merchant who accepts.
    with translation.override("en"):
        transitions.accept(
            order,
            baker,
            ready_at=ready_at,
            quantities={order.lines.get(product_name="Croissant").pk: 1},
            note="Plus que un croissant, désolé !",
        )
    client.cookies["django_language"] = "en"

    page = client.get(status_url(order)).content.decode()

    assert "Ready for pick-up from Wednesday 13 March, 10:30." in page
    assert "Plus que un croissant, désolé !" in page
    assert "Croissant: 3 → 1" in page
    assert "1 × Croissant" in page


def test_the_status_page_shows_the_final_amount_once_completed(client, baker, bakery):
    order = order_request(bakery)
    transitions.accept(order, baker, ready_at=TOMORROW)
    transitions.complete(order, baker, final_amount=Decimal("5.80"))
    client.cookies["django_language"] = "en"

    page = client.get(status_url(order)).content.decode()

    assert "The goods came to €5.80" in page
    assert "Ready for pick-up from" not in page  # collected: the time no longer matters


def test_the_status_page_costs_the_same_queries_for_one_or_three_shops(client, bakery, flower_shop):
    first = order_request(bakery)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(status_url(first)).status_code == 200
        return len(captured)

    queries()
    alone = queries()
    order_request(flower_shop, checkout=first.checkout)
    order_request(builders.shop("Épicerie du Marché"), checkout=first.checkout)

    queries()  # warm again: the new shops purged what pages keep until a change
    assert queries() == alone


# The shop's dashboard


def ready_days_ago(order, user, days):
    transitions.mark_ready(transitions.accept(order, user, ready_at=TOMORROW), user)
    order.history.filter(status="ready").update(at=timezone.now() - timedelta(days=days))


def panel_for(rf, user):
    request = rf.get(reverse("wagtailadmin_home"))
    request.user = user
    return NewRequestsPanel().get_context_data({"request": request})


def test_the_dashboard_lists_the_shops_pickups_waiting_too_long_longest_first(
    rf, baker, florist, bakery, flower_shop
):
    nine_days = order_request(bakery, "Marie Dubois", phone="0470 11 11 11")
    twelve_days = order_request(bakery, "Paul Martin")
    yesterday = order_request(bakery, "Luc Renard")
    florists = order_request(flower_shop, "Odile Lefleur")
    ready_days_ago(nine_days, baker, 9)
    ready_days_ago(twelve_days, baker, 12)
    ready_days_ago(yesterday, baker, 1)
    ready_days_ago(florists, florist, 20)

    overdue = panel_for(rf, baker)["overdue"]

    assert overdue == [twelve_days, nine_days]
    assert [order.days_waiting for order in overdue] == [12, 9]


def test_the_dashboard_reminder_reads_well_and_links_to_the_request(client, baker, bakery):
    order = order_request(bakery, phone="0470 11 11 11")
    ready_days_ago(order, baker, 9)
    client.force_login(baker)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Ready but not collected" in page
    assert reverse("orders_orderrequest_modeladmin_inspect", args=[order.pk]) in page
    assert 'href="tel:0470 11 11 11"' in page
