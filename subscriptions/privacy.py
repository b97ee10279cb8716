"""A resident's subscriptions on the city's residents'-data page (orders/privacy_views.py
calls every `export_resident_data` and `erase_resident_data` hook)."""

from . import lifecycle
from .models import Subscriber


def _subscribers(email):
    return Subscriber.objects.filter(email__iexact=email.strip())


def export(email):
    subscriptions = []
    for subscriber in _subscribers(email).prefetch_related(
        "subscriptions__shop", "subscriptions__category", "subscriptions__product"
    ):
        subscriptions += [
            {
                "kind": subscription.kind,
                "follows": str(subscription),
                "asked_at": subscription.asked_at.isoformat(),
                "consent_text": subscription.consent_text,
                "confirmed_at": subscription.confirmed_at.isoformat()
                if subscription.confirmed_at
                else None,
            }
            for subscription in subscriber.subscriptions.order_by("asked_at", "pk")
        ]
    return {"subscriptions": subscriptions}


def erase(email):
    """Every subscription of the address ends, and the address is forgotten."""
    return lifecycle.forget(_subscribers(email))
