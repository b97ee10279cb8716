"""The courier's round: the shop's steps, the pick-up, the drop-off done or failed with the
e-mails they send, and the round sheet (its order, what it shows, who reads it)."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from courier import rounds
from courier.models import Stop
from home.money import format_money
from merchants.hours import instant
from merchants.models import AwayPayment
from orders import transitions
from orders.models import Status
from tests import builders

from .conftest import courier_request, make_courier

pytestmark = pytest.mark.django_db

SHEET = reverse("courier_round_sheet")


@pytest.fixture
def evening():
    """Today's 17:00 window, whatever the day."""
    return instant(datetime.combine(timezone.localdate(), time(17)))


def sent(template):
    from notifications.models import Notification

    return list(Notification.objects.filter(template=template))


def test_the_shop_accepts_then_marks_ready_for_the_courier_and_no_further(
    bakery, cargo_bikes, evening
):
    order = courier_request(bakery, cargo_bikes, evening)
    assert transitions.allowed_actions(order) == (transitions.ACCEPT, transitions.DECLINE)
    order.status = Status.ACCEPTED
    assert transitions.allowed_actions(order) == (transitions.READY, transitions.DECLINE)
    order.status = Status.READY
    assert transitions.allowed_actions(order) == ()  # the courier's round takes it on


def test_the_residents_emails_on_accepting_and_ready_name_the_courier_not_the_shop_counter(
    bakery, cargo_bikes, evening
):
    from notifications.outbox import render_message

    order = courier_request(bakery, cargo_bikes, evening)
    transitions.accept(order, None, ready_at=evening - timedelta(hours=2))
    transitions.mark_ready(order, None)
    for template in ("orders/status_accepted", "orders/status_ready"):
        [notification] = sent(template)
        message = render_message(notification)
        for text in (message.body, message.alternatives[0][0]):
            assert cargo_bikes.name in text, template
            assert "Retrait en boutique" not in text and "au commerce" not in text, template


def test_picking_up_sends_the_ready_parcels_out_and_tells_the_residents(
    bakery, cargo_bikes, evening, rider
):
    ready = courier_request(bakery, cargo_bikes, evening, status=Status.READY)
    accepted = courier_request(bakery, cargo_bikes, evening, "Jean Martin", status=Status.ACCEPTED)

    assert rounds.pick_up(cargo_bikes, bakery, evening, rider) == 1

    ready.refresh_from_db()
    accepted.refresh_from_db()
    assert (ready.status, accepted.status) == (Status.OUT_FOR_DELIVERY, Status.ACCEPTED)
    assert ready.history.last().by == rider
    assert [n.to for n in sent("orders/status_out_for_delivery")] == [ready.email]


def test_a_stop_done_completes_the_request_at_its_goods_and_tells_resident_and_shop(
    bakery, cargo_bikes, evening, rider, django_capture_on_commit_callbacks
):
    order = courier_request(bakery, cargo_bikes, evening, status=Status.OUT_FOR_DELIVERY)

    with django_capture_on_commit_callbacks(execute=True):
        assert rounds.drop_off(order.courier_stop, rider)

    order.refresh_from_db()
    assert order.status == Status.COMPLETED
    assert order.final_amount == order.items_total == Decimal("6.20")
    assert order.commission_base == Decimal("6.20")  # not the courier's fee
    assert order.courier_stop.state == "done"
    to = {message.to[0]: message for message in mail.outbox}
    assert set(to) == {order.email, bakery.order_email}
    assert "10,20" in to[order.email].body  # goods and the courier's fee
    assert "Vélocité" in to[bakery.order_email].body
    # Done once: a second tap changes nothing and sends nothing.
    assert rounds.drop_off(order.courier_stop, rider) is None


def test_a_failed_stop_records_its_reason_and_tells_resident_and_shop(
    bakery, cargo_bikes, evening, rider, django_capture_on_commit_callbacks
):
    order = courier_request(bakery, cargo_bikes, evening, status=Status.OUT_FOR_DELIVERY)

    with django_capture_on_commit_callbacks(execute=True):
        rounds.fail(order.courier_stop, rider, reason="Personne à la maison")

    order.refresh_from_db()
    stop = order.courier_stop
    assert order.status == Status.DELIVERY_FAILED
    assert (stop.state, stop.failure_reason) == ("failed", "Personne à la maison")
    assert order.history.last().note == "Personne à la maison"
    assert len(mail.outbox) == 2
    assert all("Personne à la maison" in message.body for message in mail.outbox)
    with pytest.raises(ValueError):
        rounds.fail(stop, rider, reason=" ")


def test_a_parcel_not_picked_up_cannot_be_marked_delivered(bakery, cargo_bikes, evening, rider):
    order = courier_request(bakery, cargo_bikes, evening, status=Status.READY)
    assert rounds.drop_off(order.courier_stop, rider) is None
    order.refresh_from_db()
    assert order.status == Status.READY


# The round sheet


def test_the_sheet_lists_pickups_then_dropoffs_by_postcode_then_the_couriers_order(
    client, bakery, flower_shop, cargo_bikes, evening, rider
):
    cargo_bikes.shops.add(flower_shop)
    courier_request(bakery, cargo_bikes, evening, "Zoé Ville", postcode="7011")
    courier_request(bakery, cargo_bikes, evening, "Anne Centre", postcode="7000")
    courier_request(
        flower_shop, cargo_bikes, evening, "Luc Centre", postcode="7000", status=Status.READY
    )
    builders.admin_login(client, rider)

    page = client.get(SHEET).content.decode()

    order = [
        page.index(text)
        for text in (
            "Boulangerie Dupont",
            "Fleurs de Lys",
            "Anne Centre",
            "Luc Centre",
            "Zoé Ville",
        )
    ]
    assert order == sorted(order)
    # The courier moves Luc up: within the postcode, Luc before Anne; 7011 stays last.
    luc = Stop.objects.get(request__name="Luc Centre")
    client.post(reverse("courier_stop_move", args=[luc.pk, "up"]))
    page = client.get(SHEET).content.decode()
    assert page.index("Luc Centre") < page.index("Anne Centre") < page.index("Zoé Ville")


def test_the_sheet_shows_what_the_courier_needs_and_no_prices_nor_emails(
    client, bakery, cargo_bikes, evening, rider
):
    order = courier_request(bakery, cargo_bikes, evening, email="marie.secret@example.org")
    builders.admin_login(client, rider)

    page = client.get(SHEET).content.decode()

    assert "Marie Dubois" in page and order.street_address in page and order.phone in page
    assert "Sonner chez Marie Dubois" in page
    assert "marie.secret@example.org" not in page
    assert "1.30" not in page and "1,30" not in page and "Croissant" not in page
    # Not the lines, but what to take at the door for the shop and the courier.
    with translation.override("en"):  # the admin's language here (admin_login)
        due = format_money(order.items_total + order.delivery_fee)
        fee = format_money(order.delivery_fee)
    assert f"To collect at the door: {due}" in page

    bakery.courier_payment = AwayPayment.BEFOREHAND
    bakery.prepayment_instructions = "Virement BE12 3456 7890 1234"
    bakery.save_revision().publish()
    page = client.get(SHEET).content.decode()
    assert f"To collect at the door: {fee} — the goods are paid to the shop beforehand" in page


def test_marking_a_stop_done_from_the_sheet(client, bakery, cargo_bikes, evening, rider):
    order = courier_request(bakery, cargo_bikes, evening, status=Status.OUT_FOR_DELIVERY)
    builders.admin_login(client, rider)

    response = client.post(reverse("courier_stop_done", args=[order.courier_stop.pk]))

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Status.COMPLETED


def test_a_failure_without_reason_is_refused_next_to_the_field(
    client, bakery, cargo_bikes, evening, rider
):
    order = courier_request(bakery, cargo_bikes, evening, status=Status.OUT_FOR_DELIVERY)
    builders.admin_login(client, rider)
    url = reverse("courier_stop_failed", args=[order.courier_stop.pk])

    response = client.post(url, {"reason": ""})

    assert response.status_code == 400
    assert "Say why the delivery failed." in response.content.decode()
    order.refresh_from_db()
    assert order.status == Status.OUT_FOR_DELIVERY
    assert client.post(url, {"reason": "Adresse introuvable"}).status_code == 302
    order.refresh_from_db()
    assert order.status == Status.DELIVERY_FAILED


def test_the_sheet_switches_day(client, bakery, cargo_bikes, evening, rider):
    courier_request(bakery, cargo_bikes, evening + timedelta(days=1), "Demain Dupont")
    builders.admin_login(client, rider)

    assert "Demain Dupont" not in client.get(SHEET).content.decode()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert "Demain Dupont" in client.get(SHEET, {"day": tomorrow}).content.decode()
    assert client.get(SHEET, {"day": "pas une date"}).status_code == 200
    for far in ("9999-12-31", "0001-01-01"):  # the day before or after is out of range
        page = client.get(SHEET, {"day": far})
        assert page.status_code == 200
        assert page.context["form"].errors["day"] == [
            "Choisissez un jour à moins de deux ans d’aujourd’hui."
        ]
        assert page.context["day"] == timezone.localdate()
        assert f'value="{far}"' in page.content.decode()  # what was typed, next to its message


def test_another_couriers_member_reaches_none_of_its_stops(
    client, django_user_model, bakery, cargo_bikes, evening, rider
):
    order = courier_request(bakery, cargo_bikes, evening, status=Status.OUT_FOR_DELIVERY)
    other = make_courier(bakery, name="Autre")
    someone = django_user_model.objects.create_user(username="autre", password="x")
    other.members.add(someone)
    builders.admin_login(client, someone)

    assert "Marie Dubois" not in client.get(SHEET).content.decode()
    assert "Marie Dubois" not in client.get(SHEET, {"courier": cargo_bikes.pk}).content.decode()
    for name in ("courier_stop_done", "courier_picked_up"):
        assert client.post(reverse(name, args=[order.courier_stop.pk])).status_code == 404
    order.refresh_from_db()
    assert order.status == Status.OUT_FOR_DELIVERY


def test_a_merchant_and_a_visitor_are_refused_the_sheet(
    client, baker, bakery, cargo_bikes, evening
):
    order = courier_request(bakery, cargo_bikes, evening, status=Status.OUT_FOR_DELIVERY)
    assert client.get(SHEET).status_code == 302  # to the log-in
    builders.admin_login(client, baker)
    # Wagtail sends a user refused an admin page back to the dashboard, with a message.
    assert client.get(SHEET)["Location"] == reverse("wagtailadmin_home")
    done = client.post(reverse("courier_stop_done", args=[order.courier_stop.pk]))
    assert done["Location"] == reverse("wagtailadmin_home")
    order.refresh_from_db()
    assert order.status == Status.OUT_FOR_DELIVERY


def test_the_sheet_reads_the_same_queries_for_2_or_10_stops(
    client, bakery, flower_shop, cargo_bikes, evening, rider
):
    cargo_bikes.shops.add(flower_shop)
    builders.admin_login(client, rider)

    def queries_with(count):
        for number in range(Stop.objects.count(), count):
            shop = bakery if number % 2 else flower_shop
            courier_request(
                shop, cargo_bikes, evening, f"Habitant {number}", postcode=f"70{number:02d}"
            )
        client.get(SHEET)  # the admin's own first-visit queries
        with CaptureQueriesContext(connection) as queries:
            page = client.get(SHEET).content.decode()
        assert page.count('class="stop stop--planned"') == count
        return len(queries)

    assert queries_with(2) == queries_with(10)


def test_the_shop_reads_the_couriers_window_on_its_request(
    client, baker, bakery, cargo_bikes, evening
):
    from orders.admin_urls import order_admin_url

    order = courier_request(bakery, cargo_bikes, evening)
    builders.admin_login(client, baker)

    page = client.get(order_admin_url("inspect", order.pk)).content.decode()

    assert "Delivered by Vélocité" in page and "17:00–19:00" in page
