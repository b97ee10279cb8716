"""What the courier does on its round, and what each step does to the requests.

A pick-up at a shop sends the shop's ready parcels of the round out for delivery; a drop-off
completes its request (the goods came to what was accepted) or fails it with a reason. Each
step runs on the locked request as the shop's answers do (orders.transitions): status,
history and e-mails to the resident and the shop agree, or nothing happened."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from home.money import format_money
from notifications.outbox import enqueue
from orders import transitions
from orders.checkout import mail_context
from orders.models import OrderRequest, Status

from .models import Stop, StopState


def pick_up(courier, shop, starts_at, user):
    """The courier collected `shop`'s parcels for the window starting at `starts_at`: those
    ready go out for delivery. Returns how many."""
    with transaction.atomic():
        orders = OrderRequest.objects.select_for_update(of=("self",)).filter(
            shop=shop,
            status=Status.READY,
            courier_stop__courier=courier,
            courier_stop__starts_at=starts_at,
        )
        count = 0
        for order in orders:
            transitions._record(
                order, transitions.OUT_FOR_DELIVERY, user, history_note=courier.name, note=""
            )
            count += 1
    return count


def _locked(stop):
    """The stop and its request, locked, if the parcel is out for delivery; else None."""
    stop = Stop.objects.select_for_update(of=("self",)).select_related("courier").get(pk=stop.pk)
    order = OrderRequest.objects.select_for_update(of=("self",)).get(pk=stop.request_id)
    if stop.state != StopState.PLANNED or order.status != Status.OUT_FOR_DELIVERY:
        return None, None
    return stop, order


def drop_off(stop, user):
    """Delivered: the request is completed at the goods' accepted amount. Returns the stop,
    or None when it was not out for delivery (done already, or not picked up)."""
    with transaction.atomic():
        stop, order = _locked(stop)
        if stop is None:
            return None
        order.final_amount = order.items_total
        recorded = gettext("Delivered by %(courier)s. Final amount of the goods: %(amount)s") % {
            "courier": stop.courier.name,
            "amount": format_money(order.final_amount),
        }
        transitions._record(
            order,
            transitions.COMPLETE,
            user,
            history_note=recorded,
            note="",
            fields=["final_amount"],
            context={
                "final_amount": str(order.final_amount),
                "final_total": str(order.final_amount + order.delivery_fee),
            },
        )
        _close(stop, StopState.DONE)
        _tell_shop(stop, order, "courier/stop_done_shop")
    return stop


def fail(stop, user, *, reason):
    """Not delivered, for `reason` (nobody home, wrong address…): the resident and the shop
    are told. Returns the stop, or None when it was not out for delivery."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("A reason is required when a delivery fails.")
    with transaction.atomic():
        stop, order = _locked(stop)
        if stop is None:
            return None
        transitions._change_status(order, Status.DELIVERY_FAILED, user, reason)
        transitions._tell_resident(order, reason, {"courier": stop.courier.name})
        stop.failure_reason = reason
        _close(stop, StopState.FAILED)
        _tell_shop(stop, order, "courier/stop_failed_shop")
    return stop


def move(stop, up):
    """Move a drop-off one place up or down among the round's stops of its postcode: the
    sheet follows the postcodes, then the courier's own order within each. Numbers them
    afresh. Returns whether it moved."""
    with transaction.atomic():
        group = list(
            Stop.objects.select_for_update(of=("self",))
            .filter(
                courier_id=stop.courier_id,
                starts_at=stop.starts_at,
                request__postcode=stop.request.postcode,
            )
            .for_sheet()
        )
        index = next(i for i, other in enumerate(group) if other.pk == stop.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(group):
            return False
        group[index], group[other] = group[other], group[index]
        for position, each in enumerate(group, start=1):
            each.position = position
        Stop.objects.bulk_update(group, ["position"])
    return True


def _close(stop, state):
    stop.state = state
    stop.done_at = timezone.now()
    stop.save(update_fields=["state", "done_at", "failure_reason"])


def _tell_shop(stop, order, template):
    context = mail_context(order)
    context.update(courier=stop.courier.name, reason=stop.failure_reason)
    enqueue(
        to=order.shop.order_email,
        template=template,
        context=context,
        language=settings.LANGUAGE_CODE,
        reference=order.reference,
    )
