"""What a shop may answer to an order request, and what each answer does.

An action moves a request along the table below and nowhere else. Each one runs in a
transaction on the locked request, is recorded in the status history and e-mails the
resident, so that the request, its history and the e-mail never disagree.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from home.money import format_money
from notifications.outbox import enqueue

from .admin_urls import order_admin_url
from .checkout import mail_context
from .models import Fulfilment, OrderRequest, Status, StatusChange
from .privacy import is_anonymised

ACCEPT = "accept"
READY = "ready"
OUT_FOR_DELIVERY = "out_for_delivery"
COMPLETE = "complete"
DECLINE = "decline"
NOT_COLLECTED = "not_collected"
AT_POINT = "at_point"

# The status each action leads to.
TARGET = {
    ACCEPT: Status.ACCEPTED,
    READY: Status.READY,
    OUT_FOR_DELIVERY: Status.OUT_FOR_DELIVERY,
    COMPLETE: Status.COMPLETED,
    DECLINE: Status.DECLINED,
    NOT_COLLECTED: Status.NOT_COLLECTED,
    AT_POINT: Status.AT_POINT,
}
ACTIONS = tuple(TARGET)

LABELS = {
    ACCEPT: _("Accept"),
    READY: _("Mark ready for pick-up"),
    OUT_FOR_DELIVERY: _("Mark out for delivery"),
    COMPLETE: _("Complete"),
    DECLINE: _("Decline"),
    NOT_COLLECTED: _("Mark not collected"),
    AT_POINT: _("Mark delivered to the collection point"),
}

# From-status → the actions a shop may take, per fulfilment. A status not listed
# (completed, declined, not collected, cancelled by the resident, expired) is final. A new
# request may also expire: the portal's move, not the shop's (`expire`, orders.expiry).
TRANSITIONS = {
    Fulfilment.PICKUP: {
        Status.NEW: (ACCEPT, DECLINE),
        # Completing straight from accepted too: a resident may come in before the shop
        # found the time to mark the request ready.
        Status.ACCEPTED: (READY, COMPLETE, DECLINE),
        Status.READY: (COMPLETE, NOT_COLLECTED),
    },
    Fulfilment.DELIVERY: {
        Status.NEW: (ACCEPT, DECLINE),
        Status.ACCEPTED: (OUT_FOR_DELIVERY, COMPLETE, DECLINE),
        Status.OUT_FOR_DELIVERY: (COMPLETE,),
    },
    # Ready means ready for the courier: its round takes the request on from there
    # (courier.rounds: out for delivery at its pick-up, completed or failed at its drop-off).
    Fulfilment.COURIER: {
        Status.NEW: (ACCEPT, DECLINE),
        Status.ACCEPTED: (READY, DECLINE),
    },
    # Then the collection point's staff hand it over, or not (`close_at_point`).
    Fulfilment.COLLECTION: {
        Status.NEW: (ACCEPT, DECLINE),
        Status.ACCEPTED: (READY, AT_POINT, DECLINE),
        Status.READY: (AT_POINT,),
    },
}
# What a collection point's staff (collection app) do with a parcel the shop brought: the
# shop's table above has no move from there.
AT_THE_POINT = {Status.AT_POINT: (COMPLETE, NOT_COLLECTED)}


class TransitionNotAllowed(Exception):
    """The action does not apply to the request's status: nothing was changed."""

    def __init__(self, order, action):
        self.order = order
        self.action = action
        super().__init__(f"{action} is not allowed from {order.status} ({order.fulfilment})")

    @property
    def message(self):
        return gettext(
            "“%(action)s” is not possible: request %(reference)s is “%(status)s”. "
            "Nothing was changed."
        ) % {
            "action": LABELS[self.action],
            "reference": self.order.reference,
            "status": self.order.get_status_display(),
        }


def allowed_actions(order):
    return TRANSITIONS.get(order.fulfilment, {}).get(order.status, ())


# The actions


def accept(order, user, *, ready_at, quantities=None, note=""):
    """Accept the request, with `quantities` ({line pk: quantity}) lowering some lines.

    A quantity may only go down, and 0 removes the line (the product is not available);
    lines not named keep theirs. Removing every line is a decline, not an acceptance."""
    quantities = quantities or {}
    with transaction.atomic():
        order = _locked(order, ACCEPT)
        lines = list(order.lines.all())
        unknown = set(quantities) - {line.pk for line in lines}
        if unknown:
            raise ValueError(f"Lines {sorted(unknown)} are not lines of {order.reference}.")
        previous_items_total = order.items_total
        previous_total = order.total
        changes, changed = [], []
        for line in lines:
            quantity = quantities.get(line.pk, line.quantity)
            if not 0 <= quantity <= line.quantity:
                raise ValueError(
                    f"{line.product_name}: {quantity} is not between 0 and {line.quantity}."
                )
            if quantity != line.quantity:
                changes.append({"name": line.product_name, "old": line.quantity, "new": quantity})
                line.quantity = quantity
                changed.append(line)
        kept = [line for line in lines if line.quantity]
        if not kept:
            raise ValueError("Every line would be removed: decline the request instead.")
        for line in changed:
            # A removed line goes: the resident's status page lists what is coming, and the
            # history and the e-mail say what was asked.
            if line.quantity:
                line.save(update_fields=["quantity"])
            else:
                line.delete()
        order.items_total = sum((line.total for line in kept), Decimal("0.00"))
        order.ready_at = ready_at
        history = [note, *_describe_changes(changes, previous_items_total, order.items_total)]
        _record(
            order,
            ACCEPT,
            user,
            history_note="\n".join(part for part in history if part),
            note=note,
            fields=["items_total", "ready_at"],
            context={
                "changes": changes,
                "previous_total": str(previous_total),
                "ready_at": _in_words(order.ready_at, order.checkout.language),
            },
        )
    return order


def mark_ready(order, user, *, note=""):
    return _simple(order, READY, user, note)


def mark_out_for_delivery(order, user, *, note=""):
    return _simple(order, OUT_FOR_DELIVERY, user, note)


def mark_not_collected(order, user, *, note=""):
    return _simple(order, NOT_COLLECTED, user, note)


def mark_at_point(order, user, *, note=""):
    return _simple(order, AT_POINT, user, note)


def close_at_point(order, user, action):
    """The point's staff handed the parcel over (COMPLETE: the final amount is its items
    total) or gave up on it (NOT_COLLECTED). No e-mail here: the collection app writes
    once for the whole collection, to the resident and to each shop."""
    with transaction.atomic():
        order = OrderRequest.objects.select_for_update(of=("self",)).get(pk=order.pk)
        if order.fulfilment != Fulfilment.COLLECTION or action not in AT_THE_POINT.get(
            order.status, ()
        ):
            raise TransitionNotAllowed(order, action)
        fields = []
        if action == COMPLETE:
            order.final_amount = order.items_total
            fields = ["final_amount"]
        _change_status(order, TARGET[action], user, fields=fields)
    return order


def complete(order, user, *, final_amount, note=""):
    """Close the request with what the goods came to in the end: the commission's base."""
    if final_amount is None or final_amount < 0:
        raise ValueError("A final amount of zero or more is required.")
    with transaction.atomic():
        order = _locked(order, COMPLETE)
        order.final_amount = final_amount
        recorded = gettext("Final amount of the goods: %(amount)s") % {
            "amount": format_money(final_amount)
        }
        _record(
            order,
            COMPLETE,
            user,
            history_note="\n".join(part for part in (note, recorded) if part),
            note=note,
            fields=["final_amount"],
            context={
                "final_amount": str(final_amount),
                "final_total": str(final_amount + order.delivery_fee),
            },
        )
    return order


def decline(order, user, *, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("A reason is required to decline a request.")
    return _simple(order, DECLINE, user, reason)


PERFORM = {
    ACCEPT: accept,
    READY: mark_ready,
    OUT_FOR_DELIVERY: mark_out_for_delivery,
    COMPLETE: complete,
    DECLINE: decline,
    NOT_COLLECTED: mark_not_collected,
    AT_POINT: mark_at_point,
}


def perform(order, action, user, **answers):
    return PERFORM[action](order, user, **answers)


# Requests nobody answered


def expire(order, *, similar_shops=()):
    """The portal's own move, not a shop's: close a request still new (orders.expiry says
    when), tell the resident (with the shop's phone and `similar_shops`, dicts of title, url
    and phone) and the shop. Returns the request, or None when it was no longer new: the
    shop answered, or the resident cancelled, in the meantime, or it expired already."""
    with transaction.atomic():
        order = OrderRequest.objects.select_for_update(of=("self",)).get(pk=order.pk)
        if order.status != Status.NEW:
            return None
        _change_status(order, Status.EXPIRED, None)
        _tell_resident(order, "", {"similar_shops": list(similar_shops)})
        context = mail_context(order)
        context["admin_url"] = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + order_admin_url(
            "inspect", order.pk
        )
        enqueue(
            to=order.shop.order_email,
            template="orders/request_expired_shop",
            context=context,
            language=settings.LANGUAGE_CODE,
            reference=order.reference,
        )
    return order


# Pick-ups waiting too long


def with_ready_since(queryset):
    """Annotate each request with when it was last marked ready for pick-up (or None)."""
    last_ready = StatusChange.objects.filter(request=OuterRef("pk"), status=Status.READY)
    return queryset.annotate(
        ready_since=Subquery(last_ready.order_by("-at", "-pk").values("at")[:1])
    )


def overdue_cutoff(now):
    return now - timedelta(days=settings.PORTAL_NOT_COLLECTED_AFTER_DAYS)


def overdue_pickups(now=None, queryset=None):
    """Requests ready for pick-up for PORTAL_NOT_COLLECTED_AFTER_DAYS days or more."""
    queryset = OrderRequest.objects.all() if queryset is None else queryset
    waiting = queryset.filter(status=Status.READY, fulfilment=Fulfilment.PICKUP)
    return with_ready_since(waiting).filter(ready_since__lte=overdue_cutoff(now or timezone.now()))


def days_waiting(order, ready_since, now=None):
    """Whole days an overdue pick-up has waited, or None when it is not overdue."""
    now = now or timezone.now()
    if (
        order.status != Status.READY
        or order.fulfilment != Fulfilment.PICKUP
        or ready_since is None
        or ready_since > overdue_cutoff(now)
    ):
        return None
    return (now - ready_since).days


# How an action is carried out


def _locked(order, action):
    # Lock the request's row only (not the shop's page): two answers to one request are
    # applied one after the other, and the second sees what the first did.
    order = OrderRequest.objects.select_for_update(of=("self",)).get(pk=order.pk)
    if action not in allowed_actions(order):
        raise TransitionNotAllowed(order, action)
    return order


def _simple(order, action, user, note):
    with transaction.atomic():
        order = _locked(order, action)
        _record(order, action, user, history_note=note, note=note)
    return order


def _record(order, action, user, *, history_note, note, fields=(), context=None):
    _change_status(order, TARGET[action], user, history_note, fields)
    _tell_resident(order, note, context or {})


def _change_status(order, status, user, history_note="", fields=()):
    order.status = status
    order.save(update_fields=["status", "updated_at", *fields])
    StatusChange.objects.create(request=order, status=status, by=user, note=history_note)
    for changed in hooks.get_hooks("order_status_changed"):  # in this transaction
        changed(order)


def _tell_resident(order, note, extra):
    """One e-mail in the resident's language; a reply goes to the shop where it has an address.

    A resident whose data was erased is not written to: the address is a placeholder."""
    if is_anonymised(order):
        return
    checkout = order.checkout
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = mail_context(order)
    context.update(
        status=order.status,
        note=note,
        status_url=base + reverse("orders:status", args=[checkout.status_token]),
        **extra,
    )
    enqueue(
        to=order.email,
        template=f"orders/status_{order.status}",
        context=context,
        reply_to=[order.shop.public_email] if order.shop.public_email else [],
        language=checkout.language,
        reference=order.reference,
    )


def _describe_changes(changes, previous_items_total, items_total):
    """The history's account of what accepting changed, in the shop's words."""
    if not changes:
        return []
    described = [
        gettext("%(name)s: %(old)s → %(new)s") % change
        if change["new"]
        else gettext("%(name)s: removed") % change
        for change in changes
    ]
    described.append(
        gettext("Items total: %(old)s → %(new)s")
        % {"old": format_money(previous_items_total), "new": format_money(items_total)}
    )
    return described


def _in_words(moment, language):
    """A date and time as the resident reads it: “Wednesday 12 March, 10:30”."""
    if moment is None:
        return ""
    with translation.override(language):
        # Translators: a date format, see Django's "date" template filter.
        return formats.date_format(timezone.localtime(moment), gettext("l j F, H:i"))
