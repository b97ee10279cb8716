"""Residents' data at the collection points (orders/privacy.py holds the rules).

A grouped pick-up keeps no personal data of its own: the resident's name and phone that
the point's day list shows are read from the order requests, so they are anonymised with
them, after 12 months or on an erasure. The export tells the resident where and when they
collected, under which reference."""

from orders.privacy import orders_for_email

from .models import GroupedPickup


def export(email):
    checkouts = orders_for_email(email).values("checkout_id")
    pickups = (
        GroupedPickup.objects.filter(checkout__in=checkouts)
        .select_related("point")
        .prefetch_related("parcels__request")
        .order_by("day", "pk")
    )
    return {
        "grouped_pickups": [
            {
                "reference": pickup.reference,
                "point": pickup.point.name,
                "day": pickup.day.isoformat(),
                "state": pickup.state,
                "requests": [parcel.request.reference for parcel in pickup.parcels.all()],
                "received_from_the_shops": [
                    parcel.received_at.isoformat()
                    for parcel in pickup.parcels.all()
                    if parcel.received_at
                ],
                "ready_on": pickup.ready_at.isoformat() if pickup.ready_at else None,
                "closed_on": pickup.closed_at.isoformat() if pickup.closed_at else None,
            }
            for pickup in pickups
        ]
    }
