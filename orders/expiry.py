"""Requests nobody answered: no resident is left waiting for an answer that never comes.

A request still new PORTAL_REQUEST_EXPIRES_AFTER_HOURS after it was sent expires, but
never before the shop has been open for a whole day since (merchants.hours: a shop closed
for a long weekend, or for its holidays, gets its day). The resident is told, with the
shop's phone and a few similar shops that take requests; the shop is told too
(orders.transitions.expire). `expire_due` is what the hourly `expire_requests` command
runs; the lock and the status check of `expire` make a second run change nothing.
"""

from dataclasses import dataclass
from datetime import UTC, timedelta

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from merchants.models import MerchantPage

from . import transitions
from .models import OrderRequest, Status

SIMILAR_SHOPS = 3


def expires_at(shop, sent_at, hours=None):
    """When a request sent to `shop` at `sent_at` expires if it is still new then. A shop
    without opening hours has no whole day to wait for: the hours alone count."""
    hours = settings.PORTAL_REQUEST_EXPIRES_AFTER_HOURS if hours is None else hours
    after_hours = sent_at.astimezone(UTC) + timedelta(hours=hours)  # real hours, not the clock's
    whole_day = shop.first_whole_day_open(sent_at)
    return after_hours if whole_day is None else max(after_hours, whole_day)


def due(now=None, hours=None):
    """The new requests whose time has come, oldest first."""
    now = now or timezone.now()
    hours = settings.PORTAL_REQUEST_EXPIRES_AFTER_HOURS if hours is None else hours
    shops = MerchantPage.objects.prefetch_related("opening_hours", "closures")
    candidates = (
        OrderRequest.objects.filter(status=Status.NEW, created_at__lte=now - timedelta(hours=hours))
        .prefetch_related(Prefetch("shop", queryset=shops))
        .order_by("created_at", "pk")
    )
    return [order for order in candidates if expires_at(order.shop, order.created_at, hours) <= now]


def similar_shops(shop, today=None):
    """A few shops of the same category that take requests, for the resident to try."""
    shops = MerchantPage.objects.similar_to(shop).taking_requests(today).order_by("title")
    return [
        {"title": other.title, "url": other.get_full_url(), "phone": other.phone}
        for other in shops[:SIMILAR_SHOPS]
    ]


@dataclass
class Outcome:
    expired: int = 0
    skipped: int = 0  # answered or cancelled between the reading and the lock

    def summary(self):
        return f"{self.expired} request(s), {self.skipped} answered in the meantime"


def expire_due(now=None, hours=None):
    outcome = Outcome()
    similar = {}
    for order in due(now, hours):
        if order.shop_id not in similar:
            similar[order.shop_id] = similar_shops(order.shop)
        if transitions.expire(order, similar_shops=similar[order.shop_id]):
            outcome.expired += 1
        else:
            outcome.skipped += 1
    return outcome
