"""A grouped pick-up at the point: parcels arrive one by one, one "ready" e-mail, a shop
dropping out, the hand-over and the collection nobody came for."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from collection import pickups
from collection.models import GroupedPickup, Parcel, PickupState
from notifications.models import Notification
from orders import transitions
from orders.models import Checkout, Status
from tests import builders

from .conftest import town_hall

pytestmark = pytest.mark.django_db


@pytest.fixture
def collection(grouped_shops):
    """Three shops' requests, all accepted, to collect at the town hall in two days."""
    point = town_hall()
    checkout = Checkout.objects.create(idempotency_key="grouped", email="marie@example.org")
    pickup = GroupedPickup.objects.create(
        checkout=checkout, point=point, day=timezone.localdate() + timedelta(days=2)
    )
    for shop in grouped_shops:
        order = builders.order_request(
            shop, checkout=checkout, email="marie@example.org", fulfilment="collection"
        )
        Parcel.objects.create(pickup=pickup, request=order)
        transitions.accept(order, None, ready_at=timezone.now())
    return pickup


def parcels(pickup):
    return list(pickup.parcels.select_related("request__shop").order_by("request__shop__title"))


def ready_mails():
    return Notification.objects.filter(template="collection/ready")


def test_the_acceptance_email_sends_the_resident_to_the_point_not_to_the_shop(collection):
    from notifications.outbox import render_message

    accepted = Notification.objects.filter(template="orders/status_accepted")
    assert accepted.count() == 3
    for notification in accepted:
        message = render_message(notification)
        for text in (message.body, message.alternatives[0][0]):
            assert "point de retrait" in text
            assert "Retrait en boutique" not in text and "au commerce" not in text


def test_a_shop_marks_its_request_delivered_to_the_point(collection):
    order = parcels(collection)[0].request

    assert transitions.allowed_actions(order) == (
        transitions.READY,
        transitions.AT_POINT,
        transitions.DECLINE,
    )
    transitions.perform(order, transitions.AT_POINT, None)

    order.refresh_from_db()
    assert order.status == Status.AT_POINT
    assert transitions.allowed_actions(order) == ()  # the point's staff take it from there
    assert Notification.objects.filter(template="orders/status_at_point").count() == 1


def test_the_collection_is_ready_when_the_last_parcel_arrives_and_says_so_once(
    collection, django_capture_on_commit_callbacks
):
    first, second, third = parcels(collection)
    transitions.mark_at_point(first.request, None)
    pickups.receive(first, None)
    pickups.receive(second, None)  # the shop forgot to say it brought it: moved on too

    collection.refresh_from_db()
    assert collection.state == PickupState.EXPECTED
    assert not ready_mails().exists()
    second.request.refresh_from_db()
    assert second.request.status == Status.AT_POINT

    with django_capture_on_commit_callbacks(execute=True):
        pickups.receive(third, None)

    collection.refresh_from_db()
    assert collection.state == PickupState.READY and collection.ready_at
    sent = [m for m in mail.outbox if collection.reference in m.subject]
    assert len(sent) == 1 and "Virement" not in sent[0].body
    assert "Fromagerie Leroy" in sent[0].body
    assert ready_mails().count() == 1
    assert ready_mails().get().to == "marie@example.org"
    with pytest.raises(pickups.NotNow):
        pickups.receive(third, None)
    assert ready_mails().count() == 1


def test_a_shop_that_declines_drops_out_and_the_rest_goes_on(collection):
    first, second, third = parcels(collection)
    pickups.receive(first, None)
    pickups.receive(second, None)

    transitions.decline(third.request, None, reason="Rupture de stock")

    collection.refresh_from_db()
    assert collection.state == PickupState.READY
    declined = Notification.objects.get(template="orders/status_declined")
    assert declined.context["shop"] == third.request.shop.title
    assert declined.context["fulfilment"] == "collection"
    assert ready_mails().count() == 1
    assert [s["shop"] for s in ready_mails().get().context["shops"]] == [
        first.request.shop.title,
        second.request.shop.title,
    ]


def test_a_request_that_expires_drops_out_too(grouped_shops):
    point = town_hall()
    checkout = Checkout.objects.create(idempotency_key="late", email="marie@example.org")
    pickup = GroupedPickup.objects.create(checkout=checkout, point=point, day=timezone.localdate())
    kept, silent = (
        builders.order_request(shop, checkout=checkout, fulfilment="collection")
        for shop in grouped_shops[:2]
    )
    for order in (kept, silent):
        Parcel.objects.create(pickup=pickup, request=order)
    transitions.accept(kept, None, ready_at=timezone.now())
    pickups.receive(kept.parcel, None)

    transitions.expire(silent)

    pickup.refresh_from_db()
    assert pickup.state == PickupState.READY


def test_when_every_shop_drops_out_the_collection_frees_its_place(collection):
    for parcel in parcels(collection):
        transitions.decline(parcel.request, None, reason="Fermé")

    collection.refresh_from_db()
    assert collection.state == PickupState.DROPPED
    assert not ready_mails().exists()
    assert collection.point.collections_by_day(collection.day, collection.day) == {}


def test_handing_over_completes_every_request_and_tells_each_shop(
    collection, client, django_capture_on_commit_callbacks
):
    for parcel in parcels(collection):
        pickups.receive(parcel, None)

    with django_capture_on_commit_callbacks(execute=True):
        pickups.hand_over(collection, None)

    collection.refresh_from_db()
    assert collection.state == PickupState.HANDED_OVER and collection.closed_at
    for parcel in parcels(collection):
        assert parcel.request.status == Status.COMPLETED
        assert parcel.request.final_amount == parcel.request.items_total
    told = Notification.objects.filter(template="collection/closed_shop")
    assert sorted(told.values_list("to", flat=True)) == sorted(
        p.request.shop.order_email for p in parcels(collection)
    )
    baker_mail = next(
        m for m in mail.outbox if m.to == [parcels(collection)[0].request.shop.order_email]
    )
    assert "6,20" in baker_mail.body and "pour votre compte" in baker_mail.body
    # The resident's page says the collection is closed.
    page = client.get(f"/ma-demande/suivi/{collection.checkout.status_token}/").content.decode()
    assert collection.reference in page and "Remis" in page


def test_a_collection_cannot_be_handed_over_before_every_parcel_arrived(collection):
    pickups.receive(parcels(collection)[0], None)

    with pytest.raises(pickups.NotNow):
        pickups.hand_over(collection, None)

    assert {p.request.status for p in parcels(collection)} == {Status.AT_POINT, Status.ACCEPTED}


def test_not_collected_only_once_the_keeping_period_has_passed(
    collection, django_capture_on_commit_callbacks
):
    for parcel in parcels(collection):
        pickups.receive(parcel, None)
    last_kept_day = collection.day + timedelta(days=collection.point.keeping_days)

    with pytest.raises(pickups.NotNow):
        pickups.not_collected(collection, None, today=last_kept_day)
    with django_capture_on_commit_callbacks(execute=True):
        pickups.not_collected(collection, None, today=last_kept_day + timedelta(days=1))

    collection.refresh_from_db()
    assert collection.state == PickupState.NOT_COLLECTED
    assert {p.request.status for p in parcels(collection)} == {Status.NOT_COLLECTED}
    assert Notification.objects.filter(template="collection/not_collected").count() == 1
    assert Notification.objects.filter(template="collection/closed_shop").count() == 3
    to_resident = [m.subject for m in mail.outbox if m.to == ["marie@example.org"]]
    assert f"Votre retrait groupé {collection.reference} n’a pas été retiré" in to_resident
    to_shops = [m for m in mail.outbox if m.to != ["marie@example.org"]]
    assert len(to_shops) == 3 and all("n’a pas été retirée" in m.subject for m in to_shops)
