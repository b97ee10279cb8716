"""Residents' data: how long a request keeps its resident's personal data, and their rights.

A closed request keeps the resident's name, e-mail, phone, address and message for
PORTAL_ANONYMISE_AFTER_MONTHS; then `anonymise_due` (the daily `anonymise_requests`
command) replaces them with neutral values. A city editor can also export or erase one
resident's data at any time, by e-mail address. Amounts, lines, shop, dates and status stay:
the city's statistics are built on them. Status notes are written by the shop and stay too.
Other apps' personal data about a request (the courier's stop notes) goes with it through
the `anonymise_requests` hook, called with the requests' ids.

models.py has no "anonymised at" mark: an anonymised row is recognised by its placeholder
address, which also keeps the e-mail fields valid and makes every run idempotent.
"""

import calendar
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Max, Q, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone
from wagtail import hooks

from notifications.models import PENDING, Notification, split_references

from .models import Checkout, OrderRequest, Status

logger = logging.getLogger(__name__)

CLOSED = (
    Status.COMPLETED,
    Status.DECLINED,
    Status.NOT_COLLECTED,
    Status.CANCELLED,
    Status.EXPIRED,
    Status.DELIVERY_FAILED,
)
# A reserved top-level domain (RFC 2606): nothing is ever delivered there.
ANONYMISED_DOMAIN = "anonymised.invalid"
ANONYMISED = Q(email__endswith=f"@{ANONYMISED_DOMAIN}")
ANONYMISED_NAME = "—"
CHUNK = 500


def placeholder_email(prefix, pk):
    return f"{prefix}-{pk}@{ANONYMISED_DOMAIN}"


def _placeholder_expression(prefix):
    """placeholder_email() in SQL, so that a whole batch is one UPDATE."""
    return Concat(
        Value(f"{prefix}-"),
        Cast("pk", CharField()),
        Value(f"@{ANONYMISED_DOMAIN}"),
        output_field=CharField(),
    )


def is_anonymised(obj):
    """For an order request or a checkout."""
    return obj.email.endswith(f"@{ANONYMISED_DOMAIN}")


def months_before(moment, months):
    """The same local day and time `months` calendar months earlier (31 March - 1 = 28/29 Feb)."""
    local = timezone.localtime(moment)
    year, month = divmod(local.year * 12 + local.month - 1 - months, 12)
    month += 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def due_for_anonymisation(now=None, months=None):
    """Closed requests that still hold personal data and were closed `months` ago or more.

    A request closes when its last closing status change was recorded; a request with no
    such history (imported, seeded by hand) falls back on its last update."""
    months = settings.PORTAL_ANONYMISE_AFTER_MONTHS if months is None else months
    cutoff = months_before(now or timezone.now(), months)
    return (
        OrderRequest.objects.filter(status__in=CLOSED)
        .exclude(ANONYMISED)
        .annotate(
            closed_at=Coalesce(
                Max("history__at", filter=Q(history__status__in=CLOSED)), "updated_at"
            )
        )
        .filter(closed_at__lte=cutoff)
    )


@dataclass
class Outcome:
    requests: int = 0
    checkouts: int = 0
    emails: int = 0
    # E-mails not sent yet: an erasure deletes them (they must not go out any more); the
    # scheduled run leaves them to their sender and logs them for a person to look at.
    unsent_deleted: int = 0
    unsent_kept: int = 0

    def add(self, other):
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def summary(self):
        text = (
            f"{self.requests} order requests, {self.checkouts} checkouts and {self.emails} e-mails"
        )
        if self.unsent_deleted:
            text += f"; {self.unsent_deleted} unsent e-mails deleted"
        if self.unsent_kept:
            text += f"; {self.unsent_kept} unsent e-mails left as they are (see the log)"
        return text


def anonymise_due(now=None, months=None):
    """What the daily command does: anonymise every request whose time has come."""
    ids = list(due_for_anonymisation(now, months).values_list("pk", flat=True))
    return anonymise(ids)


def anonymise(order_ids, *, erase=False):
    """Replace the personal data of these requests, of their e-mails, and of their
    checkouts once none of a checkout's requests holds any. Already anonymised requests
    are skipped. `erase` (a resident's request) also deletes their unsent e-mails."""
    outcome = Outcome()
    order_ids = list(order_ids)
    for start in range(0, len(order_ids), CHUNK):
        outcome.add(_anonymise_chunk(order_ids[start : start + CHUNK], erase))
    return outcome


def _anonymise_chunk(order_ids, erase):
    outcome = Outcome()
    with transaction.atomic():
        # The lock makes a concurrent erasure and scheduled run take turns.
        orders = list(
            OrderRequest.objects.select_for_update()
            .filter(pk__in=order_ids)
            .exclude(ANONYMISED)
            .only("pk", "reference", "email", "checkout_id")
        )
        if not orders:
            return outcome
        ids = [order.pk for order in orders]
        checkout_ids = {order.checkout_id for order in orders}
        checkout_emails = dict(
            Checkout.objects.filter(pk__in=checkout_ids).values_list("pk", "email")
        )
        outcome.requests = OrderRequest.objects.filter(pk__in=ids).update(
            name=ANONYMISED_NAME,
            email=_placeholder_expression("request"),
            phone="",
            street_address="",
            postcode="",
            town="",
            message="",
        )
        # A checkout's address goes with the last of its requests: until then, a request
        # of another shop in the same checkout still needs it.
        still_personal = OrderRequest.objects.filter(checkout_id__in=checkout_ids).exclude(
            ANONYMISED
        )
        outcome.checkouts = (
            Checkout.objects.filter(pk__in=checkout_ids)
            .exclude(ANONYMISED)
            .exclude(pk__in=still_personal.values("checkout_id"))
            .update(email=_placeholder_expression("checkout"))
        )
        residents = {
            order.reference: {
                "order_pk": order.pk,
                "checkout_pk": order.checkout_id,
                "addresses": {order.email.lower(), checkout_emails[order.checkout_id].lower()},
            }
            for order in orders
        }
        _scrub_notifications(residents, erase, outcome)
        for scrub in hooks.get_hooks("anonymise_requests"):  # other apps' data on them
            scrub(ids)
    return outcome


def _scrub_notifications(residents, erase, outcome):
    notifications = list(Notification.objects.about(*residents).order_by("pk"))
    tokens = {
        notification.pk: split_references(notification.reference) for notification in notifications
    }
    others = {token for names in tokens.values() for token in names} - set(residents)
    # A confirmation that also names a request still holding personal data keeps its
    # context: that request's resident is the same person, and the last request of the
    # checkout to go takes the confirmation with it.
    blocking = set(
        OrderRequest.objects.filter(reference__in=others)
        .exclude(ANONYMISED)
        .values_list("reference", flat=True)
    )
    for notification in notifications:
        names = tokens[notification.pk]
        if blocking.intersection(names):
            continue
        if notification.status == PENDING:
            if erase:
                # The sender updates rows by primary key, so a row it is sending right now
                # is simply not found again afterwards.
                Notification.objects.filter(pk=notification.pk).delete()
                outcome.unsent_deleted += 1
            else:
                logger.warning(
                    "E-mail %s about the anonymised request(s) %s has not been sent yet: "
                    "left as it is, look at it in the outbox.",
                    notification,
                    notification.reference,
                )
                outcome.unsent_kept += 1
            continue
        known = [residents[name] for name in names if name in residents]
        addresses = set().union(*(resident["addresses"] for resident in known))
        if len(names) == 1:
            replacement = placeholder_email("request", known[0]["order_pk"])
        else:
            replacement = placeholder_email("checkout", known[0]["checkout_pk"])
        Notification.objects.filter(pk=notification.pk).update(
            # The shop's own order address is not the resident's data: it stays.
            to=replacement if notification.to.lower() in addresses else notification.to,
            reply_to=[
                address
                for address in notification.reply_to
                if str(address).lower() not in addresses
            ],
            context={},
        )
        outcome.emails += 1


# A resident's rights: access and erasure, by e-mail address --------------------------------


def orders_for_email(email):
    """Every request sent with this address, whatever the shop; case does not matter."""
    return OrderRequest.objects.filter(email__iexact=email.strip())


def erase_resident(email):
    """Anonymise now every request of this address, open or closed; the status stays. What
    other apps hold of the address (subscriptions) goes through their
    `erase_resident_data` hook."""
    for erase in hooks.get_hooks("erase_resident_data"):
        erase(email)
    return anonymise(orders_for_email(email).values_list("pk", flat=True), erase=True)


def export_resident(email, now=None):
    """Everything the portal holds about the resident of this address, ready for JSON."""
    orders = (
        orders_for_email(email)
        .select_related("shop", "checkout")
        .prefetch_related("lines", "history")
        .order_by("created_at", "pk")
    )
    data = {
        "email": email.strip(),
        "exported_at": (now or timezone.now()).isoformat(),
        "order_requests": [_export_order(order) for order in orders],
    }
    for export in hooks.get_hooks("export_resident_data"):  # other apps' data (subscriptions)
        data.update(export(email))
    return data


def _export_order(order):
    return {
        "reference": order.reference,
        "shop": order.shop.title,
        "status": order.status,
        "received_on": order.created_at.isoformat(),
        "updated_on": order.updated_at.isoformat(),
        "fulfilment": order.fulfilment,
        "preferred_date": order.preferred_date.isoformat() if order.preferred_date else None,
        "name": order.name,
        "email": order.email,
        "phone": order.phone,
        "street_address": order.street_address,
        "postcode": order.postcode,
        "town": order.town,
        "message": order.message,
        "language": order.checkout.language,
        "items_total": str(order.items_total),
        "delivery_fee": str(order.delivery_fee),
        "total": str(order.total),
        "lines": [
            {
                "product": line.product_name,
                "sku": line.sku,
                "unit": line.unit_label,
                "unit_price": str(line.unit_price),
                "quantity": line.quantity,
                "total": str(line.total),
            }
            for line in order.lines.all()
        ],
        "history": [
            {"status": change.status, "on": change.at.isoformat(), "note": change.note}
            for change in order.history.all()
        ],
    }
