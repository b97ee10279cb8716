"""The portal's public numbers ("Le portail en chiffres"), in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from merchants.models import MerchantPage
from orders.models import Fulfilment, OrderRequest, Status
from products.models import Product

MONTHS = 12
# A request is answered once the shop accepted or declined it: any status but these three
# (a resident may only cancel a request the shop has not answered yet, and only one nobody
# answered expires).
UNANSWERED = [Status.NEW, Status.CANCELLED, Status.EXPIRED]


@dataclass(frozen=True)
class Month:
    first: date
    sent: int = 0
    answered: int = 0
    # Of those sent: to collect at a collection point, to be delivered by the town's courier.
    collection: int = 0
    courier: int = 0

    @property
    def answered_percent(self):
        return round(self.answered * 100 / self.sent) if self.sent else None


@dataclass(frozen=True)
class PortalNumbers:
    today: date
    shops: int
    active_shops: int
    products: int
    months: list  # the last MONTHS months, the current one (so far) first
    stale_after_days: int

    @property
    def this_month(self):
        return self.months[0]

    @property
    def total(self):
        return Month(
            self.months[-1].first,
            sum(month.sent for month in self.months),
            sum(month.answered for month in self.months),
            sum(month.collection for month in self.months),
            sum(month.courier for month in self.months),
        )


def month_starts(today, count=MONTHS):
    """The first day of this month and of the `count` - 1 months before, newest first."""
    first = today.replace(day=1)
    months = [first]
    for _ in range(count - 1):
        first = (first - timedelta(days=1)).replace(day=1)
        months.append(first)
    return months


def portal_numbers(now=None):
    now = now or timezone.now()
    today = timezone.localdate(now)
    stale_after = settings.PORTAL_STALE_AFTER_DAYS
    # Active: updated within the stale delay, by the portal's one rule (with_last_update).
    shops = (
        MerchantPage.objects.live()
        .public()
        .with_last_update()
        .aggregate(
            total=Count("pk"),
            active=Count("pk", filter=Q(last_update__gte=now - timedelta(days=stale_after))),
        )
    )
    starts = month_starts(today)
    oldest = timezone.make_aware(datetime.combine(starts[-1], time.min))
    per_month = {
        timezone.localdate(row["month"]): row
        for row in OrderRequest.objects.filter(created_at__gte=oldest)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(
            sent=Count("pk"),
            answered=Count("pk", filter=~Q(status__in=UNANSWERED)),
            collection=Count("pk", filter=Q(fulfilment=Fulfilment.COLLECTION)),
            courier=Count("pk", filter=Q(fulfilment=Fulfilment.COURIER)),
        )
        .order_by()
    }
    months = []
    for first in starts:
        row = per_month.get(first, {})
        months.append(
            Month(
                first,
                *(row.get(name, 0) for name in ("sent", "answered", "collection", "courier")),
            )
        )
    return PortalNumbers(
        today=today,
        shops=shops["total"],
        active_shops=shops["active"],
        products=Product.objects.visible().count(),
        months=months,
        stale_after_days=stale_after,
    )
