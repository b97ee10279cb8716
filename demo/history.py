"""Twelve weeks of believable history for the demo town, so that every report and chart
shows something on a fresh `make run`.

For every live shop: daily page views of the shop and of its products (more on Saturdays,
fewer on Sundays, a portal slowly gaining visitors), visit intents (5 to 10 % of the
views), and order requests sent by day, answered minutes to a day later, most of them
completed, some declined or cancelled, a few never answered and expired. Then what residents
searched (some searches found nothing), and the public numbers page.

Deterministic: each day of each shop draws from its own generator, seeded with the seed,
the shop's slug and the date, so that a day's history is the same whatever the other shops
and whichever day the history is written (yesterday does not change when it is written
again today). Then the outcomes of the requests that have settled are dealt in their
shares across the town (see deal_outcomes), so that even a town of two shops shows every
outcome, whatever the day. Rows are written with bulk_create, in the past (see
given_moments). No e-mail is queued. The requests written here are recognised by their
checkout's key.
"""

import math
import random
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from itertools import islice

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from wagtail.models import Site

from home.models import HomePage, PortalSettings
from insights.models import DailyCount, Event, NumbersPage
from merchants.models import MerchantPage, ShopMembership
from orders.expiry import expires_at
from orders.models import Checkout, Fulfilment, OrderRequest, OrderRequestLine, Status, StatusChange
from products.models import Availability, Product
from search.models import SearchRecord
from search.query import ParsedQuery

from .data import NEIGHBOURHOODS, TOWN
from .orders import (
    ACCEPT_NOTES,
    DECLINE_NOTES,
    MESSAGES,
    NOT_COLLECTED_NOTE,
    PATHS,
    RESIDENTS,
    STEP_HOURS,
    daytime,
    demo_key,
    email_for,
)

SEED = "valbourg:history"
WEEKS = 12
KEY_PREFIX = "demo-history-"
BATCH = 2000

# Monday to Sunday: residents look at shops most before the weekend.
WEEKDAY = (0.8, 0.9, 0.95, 1.0, 1.15, 1.45, 0.7)
# The clicks that announce a visit, among themselves; those a shop cannot have (no website,
# no social network) are left out.
INTENT_SHARES = {
    Event.DIRECTIONS: 0.35,
    Event.CALL: 0.3,
    Event.SOCIAL: 0.13,
    Event.WEBSITE: 0.12,
    Event.SHARE: 0.1,
}
# Hours at which residents send requests, and how often.
SENDING_HOURS = {8: 1, 9: 2, 10: 3, 11: 3, 12: 3, 13: 2, 14: 2, 15: 2, 16: 3, 17: 3}
SENDING_HOURS |= {18: 3, 19: 2, 20: 2, 21: 1, 22: 1}
# What becomes of a request in the end (its steps are cut at the present moment, so
# recent requests are still new, accepted or ready). A few are never answered: they
# expire when the portal's rule says (orders.expiry), and none stays new past that.
# Among settled requests the rare outcomes are dealt, not drawn: see deal_outcomes.
OUTCOMES = {
    Fulfilment.PICKUP: {
        Status.COMPLETED: 76,
        Status.DECLINED: 8,
        Status.CANCELLED: 4,
        Status.NOT_COLLECTED: 4,
        Status.READY: 2,
        Status.ACCEPTED: 3,
        Status.EXPIRED: 3,
    },
    Fulfilment.DELIVERY: {
        Status.COMPLETED: 83,
        Status.DECLINED: 8,
        Status.CANCELLED: 4,
        Status.ACCEPTED: 2,
        Status.EXPIRED: 3,
    },
}
DEALT = (Status.DECLINED, Status.CANCELLED, Status.NOT_COLLECTED, Status.EXPIRED)
# A request sent this long ago has reached its outcome: the longest path (accepted, ready,
# not collected) takes at most about eight and a half days.
SETTLED_AFTER = timedelta(days=10)
QUANTITIES = (1, 1, 1, 2, 2, 3, 4)
# (query, searches a day for a town of 6 shops); the misses find nothing in the demo town.
POPULAR_SEARCHES = (
    ("pain", 6),
    ("croissant", 4),
    ("bouquet", 3.5),
    ("fromage", 3),
    ("chocolat", 3),
    ("livre", 2.5),
    ("vin", 2.5),
    ("roses", 2),
    ("tarte", 2),
    ("jambon", 1.5),
    ("cadeau", 1.5),
    ("bière", 1),
    ("pralines", 1),
)
MISSED_SEARCHES = (
    ("sushi", 0.8),
    ("pizza", 0.7),
    ("cordonnier", 0.5),
    ("trottinette", 0.3),
    ("plombier", 0.3),
    ("vélo électrique", 0.2),
)
NUMBERS_PAGE = {
    "title": "Le portail en chiffres",
    "slug": "en-chiffres",
    "intro": "<p>Combien de commerces, de produits et de demandes passent par le portail, "
    "mois après mois : les comptes que l'argent public doit aux habitants.</p>",
}


@dataclass
class Outcome:
    skipped: bool = False
    shops: int = 0
    counts: int = 0
    requests: int = 0
    searches: int = 0
    page_created: bool = False

    def summary(self):
        page = "numbers page created" if self.page_created else "numbers page kept"
        if self.skipped:
            return f"history already there, nothing added (--replace writes it again); {page}"
        return (
            f"{WEEKS} weeks of history for {self.shops} shops: {self.counts} daily counts, "
            f"{self.requests} order requests, {self.searches} searches; {page}"
        )


def history_exists():
    return (
        DailyCount.objects.exists()
        or Checkout.objects.filter(idempotency_key__startswith=KEY_PREFIX).exists()
    )


def seed_history(seed=SEED, replace=False, now=None):
    now = now or timezone.now()
    today = timezone.localdate(now)
    first_day = today - timedelta(weeks=WEEKS) + timedelta(days=1)
    outcome = Outcome()
    with transaction.atomic():
        outcome.page_created = ensure_numbers_page()
        if replace:
            remove_history(first_day)
        elif history_exists():
            outcome.skipped = True
            return outcome
        shops = list(
            MerchantPage.objects.live()
            .public()
            .order_by("pk")
            .prefetch_related("products", "opening_hours", "closures")
        )
        site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
        portal = PortalSettings.for_site(site)
        members = merchants_by_shop(shops)
        requests = []
        for shop in shops:
            shop_history = ShopHistory(shop, seed, first_day, now, portal, members.get(shop.pk))
            outcome.counts += insert(DailyCount, shop_history.daily_counts())
            requests.extend(shop_history.requests())
        deal_outcomes(requests, now, random.Random(f"{seed}:outcomes:{today.isoformat()}"))
        outcome.requests = write_requests(requests)
        outcome.searches = insert(SearchRecord, searches(seed, first_day, now, len(shops)))
        outcome.shops = len(shops)
    return outcome


def ensure_numbers_page():
    if NumbersPage.objects.exists():
        return False
    home = HomePage.objects.filter(depth=2).first()
    if home is None:
        return False
    page = NumbersPage(**NUMBERS_PAGE)
    home.add_child(instance=page)
    page.save_revision().publish()
    return True


def remove_history(first_day):
    demo = Q(idempotency_key__startswith=KEY_PREFIX)
    OrderRequest.objects.filter(checkout__in=Checkout.objects.filter(demo)).delete()
    Checkout.objects.filter(demo).delete()
    DailyCount.objects.filter(day__gte=first_day).delete()
    SearchRecord.objects.filter(day__gte=first_day).delete()


def merchants_by_shop(shops):
    """{shop id: its first member}: who answers the shop's requests."""
    members = {}
    memberships = ShopMembership.objects.filter(shop__in=shops).select_related("user")
    for membership in memberships.order_by("pk"):
        members.setdefault(membership.shop_id, membership.user)
    return members


def insert(model, rows):
    """bulk_create a long iterable in batches, never all of it in memory; returns how many."""
    rows, total = iter(rows), 0
    while batch := list(islice(rows, BATCH)):
        model.objects.bulk_create(batch)
        total += len(batch)
    return total


def poisson(rng, mean):
    """A count of events that happen `mean` times on average (Knuth; normal when large)."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def days(first_day, now):
    """(day, its share of a full day): today is counted only up to now."""
    today = timezone.localdate(now)
    local = timezone.localtime(now)
    elapsed = (local.hour * 60 + local.minute) / (24 * 60)
    day = first_day
    while day <= today:
        yield day, elapsed if day == today else 1.0
        day += timedelta(days=1)


def day_rng(*parts):
    """A generator for one day of something: the same draws whenever it is asked for."""
    return random.Random(":".join(str(part) for part in parts))


def traffic(index, total, day):
    """How busy a day is against an average one: the weekday, and a portal that residents
    discover little by little (two thirds of today's visitors twelve weeks ago)."""
    return WEEKDAY[day.weekday()] * (0.75 + 0.35 * index / max(total - 1, 1))


@dataclass
class PlannedRequest:
    shop: MerchantPage
    key: str
    sent_at: datetime
    fulfilment: str
    lines: list
    outcome: str  # the status it reaches in the end
    steps: list  # (status, at, by, note), up to the present moment
    contact: dict
    address: dict
    message: str
    delivery_fee: Decimal
    commission_rate: Decimal  # the portal's rate in force, as the checkout records it
    history: "ShopHistory"

    def settle_as(self, outcome, rng):
        self.outcome = outcome
        self.steps = self.history.steps(self.fulfilment, self.sent_at, outcome, rng)


class ShopHistory:
    def __init__(self, shop, seed, first_day, now, portal, merchant):
        self.shop = shop
        self.now = now
        self.first_day = first_day
        self.portal = portal
        self.merchant = merchant
        self.seed = seed
        # The shop's own traits; each day then draws from its own generators (day_rng).
        rng = random.Random(f"{seed}:{shop.slug}")
        self.views = rng.lognormvariate(math.log(30), 0.5)  # shop page views, average day
        self.intent_rate = rng.uniform(0.05, 0.10)
        self.conversion = rng.uniform(0.012, 0.03)  # requests per shop page view
        self.answer_minutes = rng.choice((15, 30, 45, 90, 180, 300))  # the shop's usual delay
        products = sorted(self.shop.products.all(), key=lambda product: product.pk)
        # A few products draw most of the views: weights 1, 1/2^0.9, 1/3^0.9 … in some order.
        weights = [1 / (rank + 1) ** 0.9 for rank in range(len(products))]
        rng.shuffle(weights)
        self.products = list(zip(products, weights, strict=True))
        self.product_views = self.views * rng.uniform(0.8, 1.6)
        self.intents = {event: share for event, share in INTENT_SHARES.items() if self._has(event)}
        self.day_factors = {}

    def _has(self, event):
        shop = self.shop
        if event == Event.CALL:
            return bool(shop.phone)
        if event == Event.WEBSITE:
            return bool(shop.website)
        if event == Event.SOCIAL:
            return bool(shop.facebook_url or shop.instagram_url)
        return True

    def rng(self, day, kind):
        return day_rng(self.seed, self.shop.slug, day.isoformat(), kind)

    def day_factor(self, index, total, day, share):
        """The day's traffic, with the same noise for all the shop's counts that day."""
        if day not in self.day_factors:
            noise = max(0.2, self.rng(day, "traffic").gauss(1, 0.18))
            self.day_factors[day] = traffic(index, total, day) * noise * share
        return self.day_factors[day]

    def daily_counts(self):
        all_days = list(days(self.first_day, self.now))
        weight_sum = sum(weight for _product, weight in self.products) or 1
        intents_total = sum(self.intents.values()) or 1
        for index, (day, share) in enumerate(all_days):
            factor = self.day_factor(index, len(all_days), day, share)
            rng = self.rng(day, "counts")
            views = poisson(rng, self.views * factor)
            if views:
                yield DailyCount(day=day, event=Event.VIEW, shop=self.shop, count=views)
            for event, event_share in self.intents.items():
                mean = self.views * factor * self.intent_rate * event_share / intents_total
                count = poisson(rng, mean)
                if count:
                    yield DailyCount(day=day, event=event, shop=self.shop, count=count)
            for product, weight in self.products:
                count = poisson(rng, self.product_views * factor * weight / weight_sum)
                if count:
                    yield DailyCount(
                        day=day, event=Event.VIEW, shop=self.shop, product=product, count=count
                    )

    def requests(self):
        available = [
            (product, weight)
            for product, weight in self.products
            if product.is_active and product.availability != Availability.OUT_OF_STOCK
        ]
        if not available:
            return []
        all_days = list(days(self.first_day, self.now))
        planned = []
        for index, (day, share) in enumerate(all_days):
            factor = self.day_factor(index, len(all_days), day, share)
            rng = self.rng(day, "requests")
            sent = poisson(rng, self.views * factor * self.conversion)
            for _request in range(sent):
                sent_at = self.sending_moment(day, rng)
                if sent_at < self.now - timedelta(minutes=10):
                    planned.append(self.plan(len(planned) + 1, sent_at, available, rng))
        return planned

    @staticmethod
    def sending_moment(day, rng):
        hour = rng.choices(list(SENDING_HOURS), weights=list(SENDING_HOURS.values()))[0]
        moment = datetime.combine(day, time(hour, rng.randint(0, 59), rng.randint(0, 59)))
        return timezone.make_aware(moment)

    def plan(self, number, sent_at, available, rng):
        shop = self.shop
        delivers = shop.offers_delivery and bool(shop.delivery_postcode_list)
        fulfilment = Fulfilment.DELIVERY if delivers and rng.random() < 0.35 else Fulfilment.PICKUP
        chosen = {}
        products, weights = zip(*available, strict=True)
        for product in rng.choices(products, weights=weights, k=rng.choice((1, 1, 2, 2, 3))):
            chosen[product] = chosen.get(product, 0) + rng.choice(QUANTITIES)
        name = rng.choice(RESIDENTS)
        pairs = " ".join(str(rng.randint(10, 99)) for _pair in range(3))
        address = {}
        if fulfilment == Fulfilment.DELIVERY:
            postcode = rng.choice(shop.delivery_postcode_list)
            quarters = [q for q in NEIGHBOURHOODS if q.postcode == postcode] or NEIGHBOURHOODS
            street = rng.choice(rng.choice(quarters).streets)
            address = {
                "street_address": f"{street} {rng.randint(1, 140)}",
                "postcode": postcode,
                "town": TOWN,
            }
        outcomes = OUTCOMES[fulfilment]
        outcome = rng.choices(list(outcomes), weights=list(outcomes.values()))[0]
        return PlannedRequest(
            shop=shop,
            key=demo_key(KEY_PREFIX, f"{shop.pk}-{number:04d}"),
            sent_at=sent_at,
            fulfilment=fulfilment,
            lines=list(chosen.items()),
            outcome=outcome,
            steps=self.steps(fulfilment, sent_at, outcome, rng),
            contact={
                "name": name,
                "email": email_for(name),
                "phone": f"04{rng.randint(70, 99)} {pairs}",
            },
            address=address,
            message=rng.choice(MESSAGES),
            delivery_fee=(
                shop.effective_delivery_fee(self.portal)
                if fulfilment == Fulfilment.DELIVERY
                else Decimal("0.00")
            ),
            commission_rate=self.portal.commission_rate,
            history=self,
        )

    def steps(self, fulfilment, sent_at, outcome, rng):
        """The status changes towards the request's outcome, cut at the present moment (all
        are drawn first, so that the next requests draw the same whatever the time)."""
        steps = [(Status.NEW, sent_at, None, "")]
        for step in PATHS[fulfilment][outcome]:
            if step == Status.EXPIRED:
                # Nobody answered: the hourly command closed it on its first run after the rule.
                at = expires_at(self.shop, sent_at) + timedelta(minutes=rng.randint(0, 59))
                steps.append((step, at, None, ""))
                continue
            if len(steps) == 1 and step != Status.CANCELLED:
                # The shop's first answer: minutes to a day, around its usual delay.
                minutes = rng.lognormvariate(math.log(self.answer_minutes), 0.9)
                delay = timedelta(minutes=min(max(minutes, 3), 24 * 60))
            else:
                delay = timedelta(hours=rng.uniform(*STEP_HOURS[step]))
            at = daytime(steps[-1][1] + delay, rng)
            # The resident cancels; every other step is the shop's.
            by = None if step == Status.CANCELLED else self.merchant
            steps.append((step, at, by, self.note(step, rng)))
        return [change for change in steps if change[1] <= self.now - timedelta(minutes=1)]

    @staticmethod
    def note(step, rng):
        if step == Status.ACCEPTED:
            return rng.choice(ACCEPT_NOTES)
        if step == Status.DECLINED:
            return rng.choice(DECLINE_NOTES)
        return NOT_COLLECTED_NOTE if step == Status.NOT_COLLECTED else ""


def deal_outcomes(planned, now, rng):
    """Among the requests that have settled (sent SETTLED_AFTER ago or more), make each
    DEALT outcome happen exactly as often as its share says, rounded, and at least once:
    drawn one by one, the rare ones (4 % cancelled, 3 % never answered) would be missing
    from a small town on some days and crowd it on others. Completed requests make up the
    difference, both ways."""
    settled = [plan for plan in planned if plan.sent_at <= now - SETTLED_AFTER]
    for outcome in DEALT:
        eligible = [plan for plan in settled if outcome in OUTCOMES[plan.fulfilment]]
        if not eligible:
            continue
        target = max(1, round(sum(outcome_share(plan.fulfilment, outcome) for plan in eligible)))
        dealt = [plan for plan in eligible if plan.outcome == outcome]
        completed = [plan for plan in eligible if plan.outcome == Status.COMPLETED]
        if len(dealt) > target:
            for plan in rng.sample(dealt, len(dealt) - target):
                plan.settle_as(Status.COMPLETED, rng)
        elif len(dealt) < target:
            for plan in rng.sample(completed, min(target - len(dealt), len(completed))):
                plan.settle_as(outcome, rng)


def outcome_share(fulfilment, outcome):
    outcomes = OUTCOMES[fulfilment]
    return outcomes.get(outcome, 0) / sum(outcomes.values())


@contextmanager
def given_moments(*fields):
    """Let bulk_create write the moments given to auto_now(_add) fields, which it would
    otherwise stamp with the present moment: a history happened in the past. (bulk_update
    afterwards does the same, several times slower.)"""
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def write_requests(planned):
    """Checkouts, requests, lines and status changes for the planned requests, in bulk, on
    the days and at the times they happened."""
    stamped = [
        model._meta.get_field(name)
        for model, name in (
            (Checkout, "created_at"),
            (OrderRequest, "created_at"),
            (OrderRequest, "updated_at"),
            (StatusChange, "at"),
        )
    ]
    with given_moments(*stamped):
        checkouts = Checkout.objects.bulk_create(
            [
                Checkout(
                    idempotency_key=plan.key,
                    email=plan.contact["email"],
                    language="fr",
                    created_at=plan.sent_at,
                )
                for plan in planned
            ],
            batch_size=BATCH,
        )
        requests = OrderRequest.objects.bulk_create(
            [
                new_request(plan, checkout)
                for plan, checkout in zip(planned, checkouts, strict=True)
            ],
            batch_size=BATCH,
        )
        lines, changes = [], []
        for plan, request in zip(planned, requests, strict=True):
            lines += [OrderRequestLine.of(request, product, n) for product, n in plan.lines]
            for status, at, by, note in plan.steps:
                changes.append(
                    StatusChange(request=request, status=status, by=by, note=note, at=at)
                )
        OrderRequestLine.objects.bulk_create(lines, batch_size=BATCH)
        StatusChange.objects.bulk_create(changes, batch_size=BATCH)
    return len(requests)


def new_request(plan, checkout):
    items_total = sum(product.price * quantity for product, quantity in plan.lines)
    moments = {status: at for status, at, _by, _note in plan.steps}
    status, last_at = plan.steps[-1][:2]
    accepted_at = moments.get(Status.ACCEPTED)
    return OrderRequest(
        checkout=checkout,
        shop=plan.shop,
        status=status,
        fulfilment=plan.fulfilment,
        message=plan.message,
        items_total=items_total,
        delivery_fee=plan.delivery_fee,
        commission_rate=plan.commission_rate,
        # The time the shop promised when accepting: when it was ready, or two hours on.
        ready_at=moments.get(Status.READY) or (accepted_at and accepted_at + timedelta(hours=2)),
        final_amount=items_total if status == Status.COMPLETED else None,
        created_at=plan.sent_at,
        updated_at=last_at,
        **plan.contact,
        **plan.address,
    )


def searches(seed, first_day, now, shop_count):
    """What residents typed in the search box each day, as the search view records it."""
    scale = max(shop_count, 1) / 6
    found = search_results([query for query, _per_day in POPULAR_SEARCHES])
    all_days = list(days(first_day, now))
    for index, (day, day_share) in enumerate(all_days):
        rng = day_rng(seed, "searches", day.isoformat())
        factor = traffic(index, len(all_days), day) * day_share * scale
        for query, per_day in POPULAR_SEARCHES + MISSED_SEARCHES:
            hits = poisson(rng, per_day * factor)
            if hits:
                yield SearchRecord(
                    day=day,
                    query=ParsedQuery.parse(query).key,
                    hits=hits,
                    results=found.get(query, 0),
                )


def search_results(queries):
    """{query: how many shops and products it finds}, near enough, in two queries."""
    product_counts = Product.objects.visible().aggregate(
        **{f"q{n}": Count("pk", filter=Q(name__icontains=query)) for n, query in enumerate(queries)}
    )
    shop_counts = MerchantPage.objects.live().aggregate(
        **{
            f"q{n}": Count("pk", filter=Q(title__icontains=query))
            for n, query in enumerate(queries)
        }
    )
    return {
        query: product_counts[f"q{n}"] + shop_counts[f"q{n}"] for n, query in enumerate(queries)
    }
