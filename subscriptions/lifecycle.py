"""Subscribing, confirming and ending subscriptions: the rules, without HTTP."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from notifications.models import UNSENT, Notification
from notifications.outbox import enqueue
from products.models import Availability, Product

from .links import absolute, confirm_days, confirm_url, manage_url
from .models import Subscriber, Subscription

FORGOTTEN_ADDRESS = "forgotten@forgotten.invalid"


def ask(email, kind, target, consent_text, now=None):
    """Store the subscription (unconfirmed) and e-mail its confirmation link; `email` as
    FollowForm cleans it (lower case).

    The same whether or not the address already follows `target`: a subscription already
    there is not changed (a confirmed one stays confirmed), and its link is sent again."""
    now = now or timezone.now()
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.get_or_create(
            email=email, defaults={"language": translation.get_language() or ""}
        )
        subscription, created = subscriber.subscriptions.get_or_create(
            kind=kind,
            **Subscription.target_lookup(kind, target),
            defaults={"asked_at": now, "consent_text": consent_text},
        )
        if not created and subscription.confirmed_at is None:
            # A new form sent: what it showed is what is consented to.
            subscription.asked_at, subscription.consent_text = now, consent_text
            subscription.save(update_fields=["asked_at", "consent_text"])
        enqueue(
            to=subscriber.email,
            template="subscriptions/confirm",
            context={
                "what": str(subscription),
                "kind": subscription.kind,
                "consent_text": consent_text,
                "confirm_url": confirm_url(subscription),
                "confirm_days": confirm_days(),
                "manage_url": manage_url(subscriber),
            },
            language=subscriber.language or None,
            reference=subscriber.reference,
        )
    return subscription


def confirm(subscription, now=None):
    """Follow the confirmation link: the subscription starts, once."""
    if subscription.confirmed_at is None:
        subscription.confirmed_at = now or timezone.now()
        subscription.save(update_fields=["confirmed_at"])
        if subscription.kind == Subscription.Kind.BACK_IN_STOCK:
            # Back in stock between the form and its confirmation: told at once.
            transaction.on_commit(send_back_in_stock_alerts, robust=True)
    return subscription


def end(subscriptions):
    """Stop these subscriptions now; subscribers left with none are forgotten."""
    with transaction.atomic():
        subscriber_ids = set(subscriptions.values_list("subscriber_id", flat=True))
        subscriptions.delete()
        return forget_idle(subscriber_ids)


def forget_idle(subscriber_ids=None):
    """Forget the subscribers who have no subscription left (or, with ids, those of them):
    the row goes, and so do their unsent e-mails and the addresses of those sent."""
    idle = Subscriber.objects.filter(subscriptions=None)
    if subscriber_ids is not None:
        idle = idle.filter(pk__in=subscriber_ids)
    return forget(idle)


def forget(subscribers, *, last_mail=None):
    """Delete these subscribers, with their subscriptions and what the outbox holds of them
    (but `last_mail`, the alert that ended the last subscription, still to be sent)."""
    subscribers = list(subscribers)
    if not subscribers:
        return 0
    mails = Notification.objects.about(*(subscriber.reference for subscriber in subscribers))
    if last_mail is not None:
        mails = mails.exclude(pk=last_mail.pk)
    with transaction.atomic():
        mails.filter(UNSENT).delete()
        mails.update(to=FORGOTTEN_ADDRESS, context={}, reply_to=[], headers={})
        Subscriber.objects.filter(pk__in=[subscriber.pk for subscriber in subscribers]).delete()
    return len(subscribers)


def forget_unconfirmed(now=None):
    """Subscriptions never confirmed, once their link has expired, end (a daily clean-up)."""
    now = now or timezone.now()
    expired = Subscription.objects.filter(
        confirmed_at=None, asked_at__lt=now - timedelta(days=confirm_days())
    )
    return end(expired)


def send_back_in_stock_alerts(**kwargs):
    """Tell each resident whose product is back in stock, once; the alert then ends.

    Run after every commit that brings products back (products.models.restocked) and after
    an alert's confirmation: it looks for every confirmed alert whose product came back
    since it was asked for, so no way of restocking is missed and none is told twice."""
    due = (
        Subscription.objects.confirmed()
        .filter(
            kind=Subscription.Kind.BACK_IN_STOCK,
            product__restocked_at__gte=F("asked_at"),
            product__in=Product.objects.visible().exclude(availability=Availability.OUT_OF_STOCK),
        )
        .select_related("subscriber", "product__shop")
        .order_by("pk")
    )
    sent = 0
    for alert in due:
        with transaction.atomic():
            # Claimed by its deletion: two runs at once tell the resident once.
            deleted, _rows = Subscription.objects.filter(pk=alert.pk).delete()
            if not deleted:
                continue
            subscriber, product = alert.subscriber, alert.product
            mail = enqueue(
                to=subscriber.email,
                template="subscriptions/back_in_stock",
                context={
                    "product": product.name,
                    "shop": product.shop.title,
                    "product_url": absolute(product.get_url()),
                    "manage_url": manage_url(subscriber),
                },
                language=subscriber.language or None,
                reference=subscriber.reference,
            )
            forget(Subscriber.objects.filter(pk=subscriber.pk, subscriptions=None), last_mail=mail)
            sent += 1
    return sent
