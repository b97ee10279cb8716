"""The courier's share of the residents' data rules (orders/privacy.py): a stop's notes and
a failure's reason go with their request's personal data, after 12 months or on erasure,
and are part of the resident's export."""

from orders.models import Status, StatusChange
from orders.privacy import orders_for_email

from .models import Stop


def anonymise(request_ids):
    Stop.objects.filter(request_id__in=request_ids).update(notes="", failure_reason="")
    # The courier's reason, recorded in the request's history when the delivery failed.
    StatusChange.objects.filter(request_id__in=request_ids, status=Status.DELIVERY_FAILED).update(
        note=""
    )


def export(email):
    stops = (
        Stop.objects.filter(request__in=orders_for_email(email))
        .select_related("request", "courier")
        .order_by("starts_at", "pk")
    )
    return {
        "courier_deliveries": [
            {
                "reference": stop.request.reference,
                "courier": stop.courier.name,
                "window_starts": stop.starts_at.isoformat(),
                "window_ends": stop.ends_at.isoformat(),
                "notes": stop.notes,
                "state": stop.state,
                "failure_reason": stop.failure_reason,
            }
            for stop in stops
        ]
    }
