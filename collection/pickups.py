"""A grouped pick-up's life at the point: parcels arrive one by one, the collection is
ready when every parcel still expected has arrived (the resident is told once), then it is
handed over, or not collected once the point's keeping period has passed.

Each move locks the collection's row (after its requests'), so two of the point's staff
tapping at once, or a shop declining while a parcel arrives, take turns; e-mails go through
the outbox in the same transaction."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from merchants.models import AwayPayment
from notifications.outbox import enqueue
from orders import transitions
from orders.models import Fulfilment, OrderRequest, Status
from orders.privacy import is_anonymised

from .models import GroupedPickup, Parcel, PickupState

# A shop that declined, or let its request expire, or a request the resident cancelled:
# its parcel is no longer expected.
DROPPED_OUT = (Status.DECLINED, Status.EXPIRED, Status.CANCELLED)


class NotNow(Exception):
    """The move does not apply to the collection as it is now: nothing was changed."""


def _locked(pickup):
    return GroupedPickup.objects.select_for_update(of=("self",)).get(pk=pickup.pk)


def _locked_with_requests(pickup):
    """The collection, its requests locked first: a shop's answer locks its request, then
    (order_status_changed) the collection, so both take the rows in the same order and
    never wait for each other."""
    requests = OrderRequest.objects.select_for_update(of=("self",)).filter(parcel__pickup=pickup.pk)
    list(requests.order_by("pk").values_list("pk", flat=True))
    return _locked(pickup)


def expected_parcels(pickup):
    return [
        parcel
        for parcel in pickup.parcels.select_related("request__shop")
        if parcel.request.status not in DROPPED_OUT
    ]


def receive(parcel, user):
    """The point received `parcel` from its shop. A shop that forgot to say it brought it
    is moved on too (its request goes to "delivered to the point")."""
    with transaction.atomic():
        pickup = _locked_with_requests(parcel.pickup)
        parcel = Parcel.objects.select_related("request").get(pk=parcel.pk)
        order = parcel.request
        if (
            pickup.state != PickupState.EXPECTED
            or parcel.received_at
            or order.status
            in (
                *DROPPED_OUT,
                Status.NEW,
            )
        ):
            raise NotNow
        if order.status != Status.AT_POINT:
            transitions.mark_at_point(order, user)
        parcel.received_at = timezone.now()
        parcel.save(update_fields=["received_at"])
        _settle(pickup)
    return parcel


def _settle(pickup):
    """After a parcel arrived or a shop dropped out (`pickup` locked): ready when every
    parcel still expected is there, with nothing left when every shop dropped out."""
    if pickup.state != PickupState.EXPECTED:
        return
    expected = expected_parcels(pickup)
    if not expected:
        pickup.state = PickupState.DROPPED
        pickup.closed_at = timezone.now()
        pickup.save(update_fields=["state", "closed_at"])
    elif all(parcel.received_at for parcel in expected):
        pickup.state = PickupState.READY
        pickup.ready_at = timezone.now()
        pickup.save(update_fields=["state", "ready_at"])
        _tell_resident(pickup, "collection/ready", expected)


def on_status_changed(order):
    """orders' hook, in the request's transaction: a shop dropping out may leave the
    collection ready (or empty)."""
    if order.fulfilment != Fulfilment.COLLECTION or order.status not in DROPPED_OUT:
        return
    parcel = Parcel.objects.filter(request=order).select_related("pickup").first()
    if parcel is not None:
        _settle(_locked(parcel.pickup))


def hand_over(pickup, user):
    """The resident collected: every request of the collection is completed, for its items
    total, and each shop is told."""
    _close(pickup, user, transitions.COMPLETE, PickupState.HANDED_OVER)


def not_collected(pickup, user, today=None):
    """The keeping period passed: every request is marked not collected; the resident and
    each shop are told."""
    with transaction.atomic():
        if not _locked_with_requests(pickup).may_be_given_up(today):
            raise NotNow
        _close(pickup, user, transitions.NOT_COLLECTED, PickupState.NOT_COLLECTED)


def _close(pickup, user, action, state):
    with transaction.atomic():
        pickup = _locked_with_requests(pickup)
        if pickup.state != PickupState.READY:
            raise NotNow
        expected = expected_parcels(pickup)
        for parcel in expected:
            transitions.close_at_point(parcel.request, user, action)
        pickup.state = state
        pickup.closed_at = timezone.now()
        pickup.save(update_fields=["state", "closed_at"])
        for parcel in expected:
            enqueue(
                to=parcel.request.shop.order_email,
                template="collection/closed_shop",
                context={**_context(pickup, [parcel]), "request": parcel.request.reference},
                language=settings.LANGUAGE_CODE,
                reference=parcel.request.reference,
            )
        if state == PickupState.NOT_COLLECTED:
            _tell_resident(pickup, "collection/not_collected", expected)


def _context(pickup, parcels):
    point = pickup.point
    return {
        "reference": pickup.reference,
        "state": pickup.state,
        "point": point.name,
        "address": f"{point.street_address}, {point.postcode} {point.town}",
        "instructions": point.instructions,
        "day": pickup.day.isoformat(),
        "shops": [
            {
                "shop": parcel.request.shop.title,
                "request": parcel.request.reference,
                "amount": str(parcel.request.items_total),
                "beforehand": parcel.request.shop.grouped_pickup_payment == AwayPayment.BEFOREHAND,
            }
            for parcel in parcels
        ],
    }


def _tell_resident(pickup, template, parcels):
    checkout = pickup.checkout
    if is_anonymised(checkout):
        return
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = _context(pickup, parcels)
    context["name"] = parcels[0].request.name if parcels else ""
    context["status_url"] = base + reverse("orders:status", args=[checkout.status_token])
    enqueue(
        to=checkout.email,
        template=template,
        context=context,
        language=checkout.language,
        reference=",".join(parcel.request.reference for parcel in parcels),
    )
