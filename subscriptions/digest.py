"""The weekly digest: one e-mail per subscriber, only when there is something to say.

What it says comes from section providers, registered with the `register_digest_section`
Wagtail hook (this app's wagtail_hooks.py registers new products, products back in stock,
shop news and coming events; another app may add its own the same way). A provider is
called as `provider(follows, since, until)` in the subscriber's language and returns a
Section, or None when it has nothing; the hook's `order` sets where its section goes.
"""

from dataclasses import asdict, dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone, translation
from wagtail import hooks

from notifications.outbox import enqueue

from .links import manage_url
from .models import Subscriber, Subscription

HOOK = "register_digest_section"
TEMPLATE = "subscriptions/digest"
# A week, less a few hours: a weekly cron started a little early still finds everyone due.
INTERVAL = timedelta(days=7) - timedelta(hours=6)
ITEMS_PER_SECTION = 20
DIGEST_KINDS = (Subscription.Kind.SHOP, Subscription.Kind.CATEGORY, Subscription.Kind.TOWN_NEWS)


@dataclass
class Follows:
    """What one subscriber follows (confirmed subscriptions only)."""

    shop_ids: set = field(default_factory=set)
    category_ids: set = field(default_factory=set)
    town_news: bool = False

    @classmethod
    def of(cls, subscriptions):
        follows = cls()
        for subscription in subscriptions:
            if subscription.kind == Subscription.Kind.SHOP:
                follows.shop_ids.add(subscription.shop_id)
            elif subscription.kind == Subscription.Kind.CATEGORY:
                follows.category_ids.add(subscription.category_id)
            elif subscription.kind == Subscription.Kind.TOWN_NEWS:
                follows.town_news = True
        return follows

    def shops_filter(self, prefix=""):
        """A Q on `prefix`shop: the followed shops, and the shops of followed categories."""
        return Q(**{f"{prefix}shop_id__in": self.shop_ids}) | Q(
            **{f"{prefix}shop__categories__in": self.category_ids}
        )


@dataclass
class Item:
    name: str
    url: str
    shop: str = ""


@dataclass
class Section:
    title: str
    items: list
    more: int = 0  # how many more the section left out (ITEMS_PER_SECTION at most are listed)


def first_items(queryset):
    """The first ITEMS_PER_SECTION objects of `queryset`, and how many more it has: counted
    only when there are more (one query more, then)."""
    found = list(queryset[: ITEMS_PER_SECTION + 1])
    if len(found) <= ITEMS_PER_SECTION:
        return found, 0
    return found[:ITEMS_PER_SECTION], queryset.count() - ITEMS_PER_SECTION


def due(now):
    """Subscribers with a confirmed follow whose last digest is a week old, or who had none."""
    confirmed = Subscription.objects.confirmed().filter(kind__in=DIGEST_KINDS)
    return (
        Subscriber.objects.filter(subscriptions__in=confirmed)
        .filter(Q(digest_sent_at=None) | Q(digest_sent_at__lte=now - INTERVAL))
        .distinct()
        .prefetch_related(Prefetch("subscriptions", confirmed, to_attr="follows"))
        .order_by("pk")
    )


def sections(follows, since, until):
    found = []
    for provider in hooks.get_hooks(HOOK):
        section = provider(follows, since, until)
        if section is not None and section.items:
            found.append(section)
    return found


def send_digests(now=None):
    """Enqueue each due subscriber's digest; returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    for subscriber in due(now):
        since = subscriber.digest_sent_at or min(s.confirmed_at for s in subscriber.follows)
        with translation.override(subscriber.language or None):
            found = sections(Follows.of(subscriber.follows), since, now)
        if not found:
            continue  # nothing to say: no e-mail, and the next run looks again
        with transaction.atomic():
            enqueue(
                to=subscriber.email,
                template=TEMPLATE,
                context={
                    "sections": [asdict(section) for section in found],
                    "manage_url": manage_url(subscriber),
                },
                language=subscriber.language or None,
                reference=subscriber.reference,
            )
            Subscriber.objects.filter(pk=subscriber.pk).update(digest_sent_at=now)
        sent += 1
    return sent
