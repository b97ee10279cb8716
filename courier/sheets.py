"""The morning e-mail: each courier with deliveries on a day gets its round sheet's link."""

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils.formats import date_format

from notifications.models import Notification
from notifications.outbox import enqueue

from .models import Courier, Stop, window_label
from .windows import day_bounds


def sheet_url(courier, day):
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return f"{base}{reverse('courier_round_sheet')}?day={day.isoformat()}&courier={courier.pk}"


def send_round_sheets(day):
    """One e-mail per courier with deliveries on `day`; returns how many were queued. A
    courier mailed already for that day is not mailed again."""
    start, end = day_bounds(day)
    windows = (
        Stop.objects.taking_a_place()
        .filter(starts_at__gte=start, starts_at__lt=end)
        .values("courier_id", "starts_at", "ends_at")
        .annotate(stops=Count("pk"))
        .order_by("courier_id", "starts_at")
    )
    by_courier = {}
    for row in windows:
        by_courier.setdefault(row["courier_id"], []).append(
            {"label": window_label(row["starts_at"], row["ends_at"]), "stops": row["stops"]}
        )
    sent = 0
    for courier in Courier.objects.filter(pk__in=by_courier):
        reference = f"round-{courier.pk}-{day.isoformat()}"
        if Notification.objects.filter(reference=reference).exists():
            continue
        enqueue(
            to=courier.email,
            template="courier/round_sheet",
            context={
                "courier": courier.name,
                "day": date_format(day, "l j F"),
                "windows": by_courier[courier.pk],
                "url": sheet_url(courier, day),
            },
            language=settings.LANGUAGE_CODE,
            reference=reference,
        )
        sent += 1
    return sent
