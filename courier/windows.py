"""Which of a courier's windows a resident may choose for a shop's request: in the next
14 days, starting once the shop's preparation time allows, and not full."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.utils import timezone

from merchants.hours import instant

from .models import DeliveryWindow, Stop, window_label

HORIZON_DAYS = 14


@dataclass(frozen=True)
class Slot:
    window: DeliveryWindow
    starts_at: datetime
    ends_at: datetime

    @property
    def day(self):
        return timezone.localtime(self.starts_at).date()

    @property
    def value(self):
        """What the checkout's form posts: the window and its day, "12:2026-12-08"."""
        return f"{self.window.pk}:{self.day.isoformat()}"

    @property
    def label(self):
        return window_label(self.starts_at, self.ends_at)


def taken(windows, since, until):
    """{(window id, start): requests in it} for `windows` between `since` and `until`."""
    rows = (
        Stop.objects.taking_a_place()
        .filter(window__in=windows, starts_at__gte=since, starts_at__lt=until)
        .values("window_id", "starts_at")
        .annotate(count=Count("pk"))
    )
    return {(row["window_id"], row["starts_at"]): row["count"] for row in rows}


def open_slots(courier, shop, now=None):
    """The windows of `courier` a request to `shop` sent at `now` may be delivered in."""
    now = now or timezone.now()
    earliest = max(now, shop.ready_time(now))
    today = timezone.localdate(now)
    windows = list(courier.windows.all())
    counts = taken(windows, now, now + timedelta(days=HORIZON_DAYS + 1))
    slots = []
    for offset in range(HORIZON_DAYS):
        day = today + timedelta(days=offset)
        for window in windows:
            if window.weekday != day.weekday():
                continue
            starts_at, ends_at = window.on(day)
            if starts_at >= earliest and counts.get((window.pk, starts_at), 0) < window.capacity:
                slots.append(Slot(window, starts_at, ends_at))
    return sorted(slots, key=lambda slot: slot.starts_at)


def find_slot(value, slots):
    return next((slot for slot in slots if slot.value == value), None)


def parse(value):
    """(window id, day) from a posted value, or None."""
    window_id, _sep, day = (value or "").partition(":")
    try:
        return int(window_id), date.fromisoformat(day)
    except ValueError:
        return None


def day_bounds(day):
    """(start, end) of `day` in the town's time: 23 or 25 hours on a change of hour."""
    return (
        instant(datetime.combine(day, time.min)),
        instant(datetime.combine(day + timedelta(days=1), time.min)),
    )
