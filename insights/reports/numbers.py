"""The numbers of the city's reports: small functions over the portal's data, in a fixed
number of queries whatever the number of shops or requests. The tests call them directly;
the views (reports.views) only present them."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, ngettext

from merchants.models import MerchantPage, OpeningHours, ShopGalleryImage, ShopMembership
from orders.models import Fulfilment, OrderRequest, Status, StatusChange
from products.models import Product

from ..filters import AudienceFilterSet, monday
from ..models import INTENTS, Event

ANSWER_DEADLINE = timedelta(hours=24)
# The first changes away from "new" that are not the shop's answer.
NOT_ANSWERS = (Status.CANCELLED, Status.EXPIRED)
DAYS_IN_WEEK = 7
HUNDRED = Decimal(100)
TENTH = Decimal("0.1")


def week_label(day, days=DAYS_IN_WEEK):
    """ "30 Nov 2026", or "30 Nov 2026 (3 days of 7)" for a week the period covers only in
    part (it starts or ends in the middle of it), so that its smaller numbers are not read
    as a fall."""
    label = date_format(day, "j M Y")
    if days >= DAYS_IN_WEEK:
        return label
    return ngettext("%(week)s (%(days)d day of 7)", "%(week)s (%(days)d days of 7)", days) % {
        "week": label,
        "days": days,
    }


def to_tenth(number):
    return Decimal(number).quantize(TENTH, rounding=ROUND_HALF_UP)


def percentage(part, whole):
    """`part` as a percentage of `whole`, to a tenth; None when `whole` is nothing."""
    if not whole:
        return None
    return to_tenth(Decimal(part) * HUNDRED / whole)


# Shops ---------------------------------------------------------------------------------


def shops_overview(period, now=None):
    """Every shop, stalest first, with what the city checks: its last update (the portal's
    one rule, MerchantPageQuerySet.with_last_update: its page published or a product saved),
    its products (all, shown, changed in `period`), whether it has photos and opening hours,
    and its members (prefetched) to contact."""
    now = now or timezone.now()
    starts, ends = period.bounds
    products = Product.objects.filter(shop=OuterRef("pk")).order_by().values("shop")

    def number_of(queryset):
        return Coalesce(Subquery(queryset.annotate(n=Count("pk")).values("n")), 0)

    threshold = now - timedelta(days=settings.PORTAL_STALE_AFTER_DAYS)
    return (
        MerchantPage.objects.with_last_update()
        .annotate(
            product_count=number_of(products),
            shown_product_count=number_of(products.filter(is_active=True)),
            products_changed=number_of(
                products.filter(updated_at__gte=starts, updated_at__lt=ends)
            ),
            has_photos=Exists(ShopGalleryImage.objects.filter(shop=OuterRef("pk"))),
            has_hours=Exists(OpeningHours.objects.filter(shop=OuterRef("pk"))),
            # A catalogue source that failed three runs in a row (CatalogueSource.is_broken),
            # read through the shop's relation: insights does not know the catalogue app.
            has_broken_source=Exists(
                MerchantPage.objects.filter(
                    pk=OuterRef("pk"), catalogue_sources__failures_in_row__gte=3
                )
            ),
            # Never published and no product: no update at all, so not active.
            is_active=Case(
                When(last_update__gte=threshold, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=ShopMembership.objects.select_related("user").order_by("pk"),
            )
        )
        .order_by(F("last_update").asc(nulls_first=True), "title", "pk")
    )


def shops_summary(shops):
    """How many of `shops` (shops_overview) are active, stale, without photos or hours."""
    return shops.order_by().aggregate(
        shops=Count("pk"),
        active=Count("pk", filter=Q(is_active=True)),
        stale=Count("pk", filter=Q(is_active=False)),
        without_photos=Count("pk", filter=Q(has_photos=False)),
        without_hours=Count("pk", filter=Q(has_hours=False)),
    )


def describe_shop(shop, now=None):
    """Add to an annotated shop (shops_overview) what the report and its exports show."""
    now = now or timezone.now()
    if shop.last_update is None:
        shop.last_change_day, shop.days_since_change = None, None
    else:
        shop.last_change_day = timezone.localtime(shop.last_update).date()
        shop.days_since_change = (timezone.localtime(now).date() - shop.last_change_day).days
    shop.state = gettext("Active") if shop.is_active else gettext("Not updated")
    shop.published = gettext("Published") if shop.live else gettext("Draft")
    shop.photos = gettext("Yes") if shop.has_photos else gettext("No")
    shop.hours = gettext("Yes") if shop.has_hours else gettext("No")
    shop.catalogue = gettext("Broken") if shop.has_broken_source else ""
    shop.members = [
        (m.user.get_full_name() or m.user.get_username(), m.user.email)
        for m in shop.memberships.all()
    ]
    shop.members_text = "; ".join(
        f"{name} <{email}>" if email else name for name, email in shop.members
    )
    return shop


# Requests ------------------------------------------------------------------------------


def duration_text(duration):
    """ "45 min", "3 h 05 min", "2 d 4 h": a delay as a person says it."""
    minutes = round(duration.total_seconds() / 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return gettext("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return gettext("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    return gettext("%(minutes)d min") % {"minutes": minutes}


def with_first_answer(requests):
    """Each request with the first change of its status away from "new": the shop's answer,
    unless it is the resident's cancellation or the request's expiry (first_change_status
    tells)."""
    changes = (
        StatusChange.objects.filter(request=OuterRef("pk"))
        .exclude(status=Status.NEW)
        .order_by("at", "pk")
    )
    return requests.annotate(
        first_change_at=Subquery(changes.values("at")[:1]),
        first_change_status=Subquery(changes.values("status")[:1]),
    )


# The RequestNumbers attribute that counts each way of getting the goods.
FULFILMENT_COUNTERS = {
    Fulfilment.PICKUP: "pickup",
    Fulfilment.DELIVERY: "delivery",
    Fulfilment.COLLECTION: "collection",
    Fulfilment.COURIER: "courier",
}


@dataclass
class RequestNumbers:
    """The requests of one shop, one week or all of them."""

    key: object
    label: str
    days: int | None = None  # for a week: how many of its days the period covers
    received: int = 0
    statuses: dict = field(default_factory=lambda: dict.fromkeys(Status.values, 0))
    pickup: int = 0
    delivery: int = 0
    collection: int = 0  # grouped pick-ups at a collection point
    courier: int = 0  # deliveries by the town's courier
    late: int = 0
    answer_times: list = field(default_factory=list, repr=False)

    def add(self, status, fulfilment, created_at, first_change_at, first_change_status, now):
        self.received += 1
        self.statuses[status] += 1
        counter = FULFILMENT_COUNTERS.get(fulfilment, "pickup")
        setattr(self, counter, getattr(self, counter) + 1)
        if first_change_at is not None and first_change_status not in NOT_ANSWERS:
            self.answer_times.append(first_change_at - created_at)
        # Left without an answer for more than 24 hours: answered late, or still not
        # answered (nor cancelled by the resident) 24 hours after it arrived.
        if (first_change_at or now) - created_at > ANSWER_DEADLINE:
            self.late += 1

    @property
    def declined(self):
        return self.statuses[Status.DECLINED]

    @property
    def expired(self):
        return self.statuses[Status.EXPIRED]

    @property
    def status_counts(self):
        return [self.statuses[status] for status in Status.values]

    @property
    def median_answer(self):
        """The median time the shop took to answer (a timedelta), None without answers."""
        return median(self.answer_times) if self.answer_times else None

    @property
    def median_answer_text(self):
        answer = self.median_answer
        return "" if answer is None else duration_text(answer)

    @property
    def median_answer_hours(self):
        answer = self.median_answer
        if answer is None:
            return None
        return to_tenth(Decimal(answer.total_seconds()) / 3600)

    @property
    def declined_share(self):
        """Declined requests as a percentage of the requests received, to a tenth."""
        return percentage(self.declined, self.received)


@dataclass
class RequestReport:
    by_shop: list
    by_week: list
    total: RequestNumbers


def request_numbers(requests, period, now=None):
    """The requests of `requests` (already limited to a period), per shop (most requests
    first) and per week of `period` (every week, even without a request), and in all."""
    now = now or timezone.now()

    def week_numbers(week):
        days = period.days_of_week(week)
        return RequestNumbers(week, week_label(week, days), days)

    shops, weeks = {}, {week: week_numbers(week) for week in period.weeks()}
    total = RequestNumbers(None, gettext("All shops"))
    rows = with_first_answer(requests).values_list(
        "shop_id",
        "shop__title",
        "created_at",
        "status",
        "fulfilment",
        "first_change_at",
        "first_change_status",
    )
    for shop_id, title, created_at, *facts in rows.order_by():
        week = monday(timezone.localtime(created_at).date())
        targets = [
            total,
            shops.setdefault(shop_id, RequestNumbers(shop_id, title)),
            weeks.setdefault(week, week_numbers(week)),
        ]
        status, fulfilment, first_change_at, first_change_status = facts
        for numbers in targets:
            numbers.add(status, fulfilment, created_at, first_change_at, first_change_status, now)
    by_shop = sorted(shops.values(), key=lambda n: (-n.received, n.label))
    by_week = [weeks[week] for week in sorted(weeks)]
    return RequestReport(by_shop, by_week, total)


# Audience ------------------------------------------------------------------------------


@dataclass
class AudienceNumbers:
    """Views of a shop's page and of its products' pages, and the visit intents."""

    key: object
    label: str
    shop_views: int = 0
    product_views: int = 0
    intents: dict = field(default_factory=lambda: dict.fromkeys(map(str, INTENTS), 0))

    @property
    def views(self):
        return self.shop_views + self.product_views

    @property
    def intent_total(self):
        return sum(self.intents.values())

    @property
    def intent_counts(self):
        return [self.intents[event] for event in INTENTS]

    def add(self, other):
        self.shop_views += other.shop_views
        self.product_views += other.product_views
        for event, number in other.intents.items():
            self.intents[event] += number


def audience_by_shop(counts):
    """{shop id: AudienceNumbers} of the daily counts `counts` (already limited to a period)."""
    per_shop = {}
    rows = (
        counts.order_by()
        .values("shop_id", "event")
        .annotate(
            on_shop=Sum("count", filter=Q(product__isnull=True)),
            on_products=Sum("count", filter=Q(product__isnull=False)),
        )
    )
    for row in rows:
        numbers = per_shop.setdefault(row["shop_id"], AudienceNumbers(row["shop_id"], ""))
        if row["event"] == Event.VIEW:
            numbers.shop_views += row["on_shop"] or 0
            numbers.product_views += row["on_products"] or 0
        elif row["event"] in numbers.intents:
            numbers.intents[row["event"]] += (row["on_shop"] or 0) + (row["on_products"] or 0)
    return per_shop


def audience_total(per_shop):
    """The AudienceNumbers of all shops, from audience_by_shop()."""
    total = AudienceNumbers(None, gettext("All shops"))
    for numbers in per_shop.values():
        total.add(numbers)
    return total


def audience_numbers(per_shop, group):
    """Audience rows per shop, category or neighbourhood, most viewed first, from
    audience_by_shop(). Every published shop has a row, even without a view. A shop in two
    categories counts in both; the total is the sum of the shops, not of these rows."""
    by_category = group == AudienceFilterSet.BY_CATEGORY
    by_neighbourhood = group == AudienceFilterSet.BY_NEIGHBOURHOOD
    shops = MerchantPage.objects.filter(Q(live=True) | Q(pk__in=list(per_shop))).values_list(
        "pk", "title", "neighbourhood__name"
    )
    groups = {}
    if by_category:
        categories = defaultdict(list)
        links = MerchantPage.categories.through.objects.values_list(
            "merchantpage_id", "shopcategory__name"
        )
        for shop_id, name in links:
            categories[shop_id].append(name)
    for shop_id, title, neighbourhood in shops:
        if by_category:
            labels = categories.get(shop_id) or [gettext("No category")]
        elif by_neighbourhood:
            labels = [neighbourhood or gettext("No neighbourhood")]
        else:
            labels = [title]
        for label in labels:
            key = label if by_category or by_neighbourhood else shop_id
            numbers = groups.setdefault(key, AudienceNumbers(key, label))
            if shop_id in per_shop:
                numbers.add(per_shop[shop_id])
    return sorted(groups.values(), key=lambda n: (-n.views, -n.intent_total, n.label))


def audience_by_week(counts, period):
    """[(Monday, views, visit intents)] for every week of `period`."""
    weeks = {week: [0, 0] for week in period.weeks()}
    rows = counts.order_by().values("day", "event").annotate(n=Sum("count"))
    for row in rows:
        week = weeks.setdefault(monday(row["day"]), [0, 0])
        if row["event"] == Event.VIEW:
            week[0] += row["n"]
        elif row["event"] in INTENTS:
            week[1] += row["n"]
    return [(week, *weeks[week]) for week in sorted(weeks)]


# Searches ------------------------------------------------------------------------------


def search_numbers(records):
    """One row per query of `records` (already limited to a period): how many times it was
    searched, on how many days, and what it found the last time."""
    last_results = records.filter(query=OuterRef("query")).order_by("-day").values("results")[:1]
    return (
        records.order_by()
        .values("query")
        .annotate(searches=Sum("hits"), days=Count("pk"), last_results=Subquery(last_results))
        .order_by("-searches", "query")
    )


def search_totals(records):
    """How many searches `records` (already limited to a period) counts, how many of them
    found nothing, and their share (a percentage, None without searches)."""
    totals = records.aggregate(
        searches=Coalesce(Sum("hits"), 0),
        without_result=Coalesce(Sum("hits", filter=Q(results=0)), 0),
    )
    totals["share"] = percentage(totals["without_result"], totals["searches"])
    return totals


# Commission ----------------------------------------------------------------------------


def completed_requests():
    """Completed requests, each with `completed_at`: when the shop marked it completed."""
    completion = StatusChange.objects.filter(
        request=OuterRef("pk"), status=Status.COMPLETED
    ).order_by("-at", "-pk")
    return OrderRequest.objects.filter(status=Status.COMPLETED).annotate(
        completed_at=Coalesce(Subquery(completion.values("at")[:1]), "updated_at")
    )


def format_rate(rate):
    """ "10 %", "5.5 %" (or "5,5 %" in French): no needless decimals."""
    return number_format(Decimal(f"{rate:.2f}".rstrip("0").rstrip("."))) + " %"


@dataclass
class CommissionLine:
    """What one shop owes for one month, as a commission contract (Belfort's 10 %) needs."""

    shop_id: int | None
    shop: str
    legal_name: str = ""
    company_number: str = ""
    month: object = None
    requests: int = 0
    collection_requests: int = 0
    courier_requests: int = 0
    goods: Decimal = Decimal("0.00")
    fees: Decimal = Decimal("0.00")
    courier_fees: Decimal = Decimal("0.00")
    commission: Decimal = Decimal("0.00")
    rate_set: set = field(default_factory=set, repr=False)

    @property
    def month_label(self):
        return f"{self.month:%Y-%m}" if self.month else ""

    @property
    def rates(self):
        return "; ".join(format_rate(rate) for rate in sorted(self.rate_set))

    def add(self, order):
        self.requests += 1
        self.goods += order.commission_base
        if order.fulfilment == Fulfilment.COURIER:
            # The courier's fee: neither the shop's nor the city's.
            self.courier_requests += 1
            self.courier_fees += order.delivery_fee
        else:
            self.fees += order.delivery_fee
        if order.fulfilment == Fulfilment.COLLECTION:
            self.collection_requests += 1
        self.rate_set.add(order.commission_rate)
        self.commission += order.commission


def commission_lines(requests):
    """Per shop and month of completion, the completed requests of `requests` (annotated by
    completed_requests()): their number (and how many of them went through a collection
    point or the town's courier), the goods (the final amount when the shop recorded one,
    else the items total), the delivery fees (the shop's, no commission on them) and the
    courier's fees apart (the courier's, no commission either), the rates recorded on the
    requests, and the commission — with the total of all lines.

    Rounding: each request's commission is its goods × its own recorded rate, rounded half
    up to the cent (OrderRequest.commission); a line is the sum of these rounded amounts.
    Rounded per request, then summed, so that a shop can check its invoice request by
    request: rounding the month's sum once could differ from the sum of what each of its
    requests shows by a cent or more."""
    lines = {}
    total = CommissionLine(None, gettext("All shops"))
    for order in requests.select_related("shop").order_by("completed_at", "pk"):
        month = timezone.localtime(order.completed_at).date().replace(day=1)
        shop = order.shop
        line = lines.setdefault(
            (month, shop.pk),
            CommissionLine(shop.pk, shop.title, shop.legal_name, shop.company_number, month),
        )
        line.add(order)
        total.add(order)
    return sorted(lines.values(), key=lambda n: (n.month, n.shop, n.shop_id)), total
