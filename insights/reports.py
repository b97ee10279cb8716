"""What the city sees: its reports on shops, requests, audience, searches and commission.

The numbers come from small functions below, which the tests call directly; the views
(Wagtail's ReportView: filters, pagination, CSV and XLSX exports) only present them, in a
fixed number of queries whatever the number of shops or requests. Every shop's numbers
are the city's alone: only city editors and superusers reach these pages and exports.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from django.conf import settings
from django.core.exceptions import PermissionDenied
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
from django.http import HttpResponse
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.views.reports import ReportView

from merchants.models import MerchantPage, OpeningHours, ShopGalleryImage, ShopMembership
from merchants.ownership import is_city_editor
from orders.models import Fulfilment, OrderRequest, Status, StatusChange
from products.models import Product
from search.models import SearchRecord

from . import charts
from .filters import (
    AudienceFilterSet,
    CommissionFilterSet,
    RequestsFilterSet,
    SearchesFilterSet,
    ShopsFilterSet,
)
from .models import INTENTS, DailyCount, Event

ANSWER_DEADLINE = timedelta(hours=24)
TOP_SHOPS = 10
HUNDRED = Decimal(100)
TENTH = Decimal("0.1")


def week_label(day):
    return date_format(day, "j M Y")


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
    unless it is the resident's cancellation (first_change_status tells)."""
    changes = (
        StatusChange.objects.filter(request=OuterRef("pk"))
        .exclude(status=Status.NEW)
        .order_by("at", "pk")
    )
    return requests.annotate(
        first_change_at=Subquery(changes.values("at")[:1]),
        first_change_status=Subquery(changes.values("status")[:1]),
    )


@dataclass
class RequestNumbers:
    """The requests of one shop, one week or all of them."""

    key: object
    label: str
    received: int = 0
    statuses: dict = field(default_factory=lambda: dict.fromkeys(Status.values, 0))
    pickup: int = 0
    delivery: int = 0
    late: int = 0
    answer_times: list = field(default_factory=list, repr=False)

    def add(self, status, fulfilment, created_at, first_change_at, first_change_status, now):
        self.received += 1
        self.statuses[status] += 1
        if fulfilment == Fulfilment.DELIVERY:
            self.delivery += 1
        else:
            self.pickup += 1
        if first_change_at is not None and first_change_status != Status.CANCELLED:
            self.answer_times.append(first_change_at - created_at)
        # Left without an answer for more than 24 hours: answered late, or still not
        # answered (nor cancelled by the resident) 24 hours after it arrived.
        if (first_change_at or now) - created_at > ANSWER_DEADLINE:
            self.late += 1

    @property
    def declined(self):
        return self.statuses[Status.DECLINED]

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
        return (Decimal(answer.total_seconds()) / 3600).quantize(TENTH, rounding=ROUND_HALF_UP)

    @property
    def declined_share(self):
        """Declined requests as a percentage of the requests received, to a tenth."""
        if not self.received:
            return None
        return (Decimal(self.declined) * HUNDRED / self.received).quantize(
            TENTH, rounding=ROUND_HALF_UP
        )


@dataclass
class RequestReport:
    by_shop: list
    by_week: list
    total: RequestNumbers


def request_numbers(requests, period, now=None):
    """The requests of `requests` (already limited to a period), per shop (most requests
    first) and per week of `period` (every week, even without a request), and in all."""
    now = now or timezone.now()
    shops, weeks = {}, {week: RequestNumbers(week, week_label(week)) for week in period.weeks()}
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
        week = timezone.localtime(created_at).date()
        week -= timedelta(days=week.weekday())
        targets = [
            total,
            shops.setdefault(shop_id, RequestNumbers(shop_id, title)),
            weeks.setdefault(week, RequestNumbers(week, week_label(week))),
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
        week = weeks.setdefault(row["day"] - timedelta(days=row["day"].weekday()), [0, 0])
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
    goods: Decimal = Decimal("0.00")
    fees: Decimal = Decimal("0.00")
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
        self.fees += order.delivery_fee
        self.rate_set.add(order.commission_rate)
        self.commission += order.commission


def commission_lines(requests):
    """Per shop and month of completion, the completed requests of `requests` (annotated by
    completed_requests()): their number, the goods (the final amount when the shop recorded
    one, else the items total), the delivery fees (the shop's, no commission on them), the
    rates recorded on the requests, and the commission — with the total of all lines.

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


# Charts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    """A chart and its numbers as a table."""

    title: str
    svg: str
    headings: list
    rows: list


def trend_chart(chart_id, title, weeks, series):
    """A line per series (name, values, style) over the weeks, with its table."""
    labels = [date_format(week, "j M") for week in weeks]
    lines = [charts.Series(name, values, **style) for name, values, style in series]
    summary = "; ".join(
        gettext("%(name)s: %(total)s in all, at most %(top)s in a week")
        % {"name": s.name, "total": sum(s.values), "top": max(s.values, default=0)}
        for s in lines
    )
    description = gettext("Weeks from %(first)s to %(last)s. %(summary)s.") % {
        "first": week_label(weeks[0]) if weeks else "",
        "last": week_label(weeks[-1]) if weeks else "",
        "summary": summary,
    }
    svg = charts.line_chart(chart_id, title, description, labels, lines)
    rows = [[week_label(week), *(s.values[i] for s in lines)] for i, week in enumerate(weeks)]
    return Chart(title, svg, [gettext("Week of"), *(s.name for s in lines)], rows)


def top_chart(chart_id, title, heading, rows):
    """Bars of the first TOP_SHOPS (label, value) rows that have a value."""
    rows = [(label, value) for label, value in rows if value][:TOP_SHOPS]
    if not rows:
        return None
    description = "; ".join(f"{label}: {value}" for label, value in rows)
    svg = charts.bar_chart(chart_id, title, description, rows)
    return Chart(title, svg, [gettext("Shop"), heading], [list(row) for row in rows])


# Views ---------------------------------------------------------------------------------


# What a spreadsheet reads as the start of a formula in a CSV cell.
FORMULA = ("=", "+", "-", "@", "\t", "\r")


class CityReportView(ReportView):
    """A report of every shop's numbers over a period, with CSV and XLSX exports."""

    template_name = "insights/reports/report.html"
    breadcrumbs_items = [*ReportView.breadcrumbs_items, {"url": "", "label": _("Statistics")}]
    paginate_by = 50
    url_name = ""  # the name of the page's URL, and of its results with "_results"

    def dispatch(self, request, *args, **kwargs):
        # The page, its results fragment and its exports are this view: one check for all.
        if not is_city_editor(request.user):
            raise PermissionDenied  # Wagtail's admin answers with a redirect and a message
        # Days, weeks and months are the town's, whatever time zone the reader chose in
        # the admin: a request completed at 00:30 on 1 April is April's commission.
        with timezone.override(settings.TIME_ZONE):
            return super().dispatch(request, *args, **kwargs)

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV and isinstance(value, str) and value[:1] in FORMULA:
            # A shop named "=HYPERLINK(…)" must not become a formula in a spreadsheet.
            return "'" + value
        return value

    @property
    def index_url_name(self):
        return f"insights_reports:{self.url_name}"

    @property
    def index_results_url_name(self):
        return f"insights_reports:{self.url_name}_results"

    @property
    def period(self):
        return self.filters.period

    def filter_queryset(self, queryset):
        # The period applies even when another filter is invalid (filters.PeriodFilterSet).
        return self.filters.filter_queryset(queryset)

    def get_filtered_queryset(self):
        return self.get_rows(self.filter_queryset(self.get_queryset()))

    def get_rows(self, queryset):
        return queryset

    def write_csv_response(self, queryset):
        # Wagtail streams its CSV after the view has returned, when the reader's language is
        # no longer active (headings would come out in the site's language): these reports
        # are short, so the file is written at once.
        response = HttpResponse(
            b"".join(self.stream_csv(queryset)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        return response

    def get_filename(self):
        return f"{self.url_name}-{self.period.start:%Y-%m-%d}-{self.period.end:%Y-%m-%d}"

    @property
    def group(self):
        return self.filters.form.cleaned_data.get("group") if self.filters.is_valid() else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["period"] = self.period
        return context


class ShopsReportView(CityReportView):
    page_title = _("Shops")
    header_icon = "home"
    url_name = "shops"
    results_template_name = "insights/reports/shops_results.html"
    filterset_class = ShopsFilterSet
    list_export = [
        "title",
        "published",
        "state",
        "last_change_day",
        "days_since_change",
        "product_count",
        "shown_product_count",
        "products_changed",
        "photos",
        "hours",
        "members_text",
        "order_email",
        "phone",
    ]
    export_headings = {
        "title": _("Shop"),
        "published": _("Page"),
        "state": _("State"),
        "last_change_day": _("Last change"),
        "days_since_change": _("Days since the last change"),
        "product_count": _("Products"),
        "shown_product_count": _("Products shown"),
        "products_changed": _("Products changed in the period"),
        "photos": _("Photos"),
        "hours": _("Opening hours"),
        "members_text": _("Members"),
        "order_email": _("E-mail for requests"),
        "phone": _("Phone"),
    }

    def get_queryset(self):
        self.now = timezone.now()
        return shops_overview(self.period, now=self.now)

    def decorate_paginated_queryset(self, shops):
        return [describe_shop(shop, now=self.now) for shop in shops]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["stale_after_days"] = settings.PORTAL_STALE_AFTER_DAYS
        context["summary"] = shops_summary(shops_overview(self.period, now=self.now))
        return context


class RequestsReportView(CityReportView):
    page_title = _("Order requests")
    header_icon = "list-ul"
    url_name = "requests"
    results_template_name = "insights/reports/requests_results.html"
    filterset_class = RequestsFilterSet
    export_headings = {
        "label": _("Shop"),
        "received": _("Requests received"),
        **{f"statuses.{value}": label for value, label in Status.choices},
        "pickup": _("Pick-up in the shop"),
        "delivery": _("Home delivery"),
        "median_answer_hours": _("Median time to answer (hours)"),
        "declined_share": _("Declined (%)"),
        "late": _("Unanswered for more than 24 hours"),
    }

    @property
    def list_export(self):
        fields = list(self.export_headings)
        if self.group == RequestsFilterSet.BY_WEEK:
            fields[0] = "key"  # the week's Monday, a date in a spreadsheet
        return fields

    def get_heading(self, queryset, field):
        if field == "key":
            return gettext("Week of")
        return super().get_heading(queryset, field)

    def get_queryset(self):
        return OrderRequest.objects.all()

    def get_rows(self, queryset):
        self.report = request_numbers(queryset, self.period)
        if self.group == RequestsFilterSet.BY_WEEK:
            return self.report.by_week
        return self.report.by_shop

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report
        context["total"] = report.total
        context["statuses"] = Status.choices
        context["by_week"] = self.group == RequestsFilterSet.BY_WEEK
        context["charts"] = [
            trend_chart(
                "requests-trend",
                gettext("Requests received each week"),
                [n.key for n in report.by_week],
                [
                    (gettext("Requests received"), [n.received for n in report.by_week], {}),
                    (
                        gettext("Completed"),
                        [n.statuses[Status.COMPLETED] for n in report.by_week],
                        {"colour": charts.ORANGE, "dashed": True, "square": True},
                    ),
                ],
            ),
            top_chart(
                "requests-top",
                gettext("Shops that received the most requests"),
                gettext("Requests received"),
                [(n.label, n.received) for n in report.by_shop],
            ),
        ]
        return context


class AudienceReportView(CityReportView):
    page_title = _("Audience")
    header_icon = "view"
    url_name = "audience"
    results_template_name = "insights/reports/audience_results.html"
    filterset_class = AudienceFilterSet
    export_headings = {
        "label": _("Shop"),
        "shop_views": _("Views of the shop's page"),
        "product_views": _("Views of its products' pages"),
        "views": _("Page views"),
        **{f"intents.{event.value}": event.label for event in INTENTS},
        "intent_total": _("Visit intents"),
    }

    @property
    def list_export(self):
        return list(self.export_headings)

    def get_heading(self, queryset, field):
        if field == "label":
            return {
                AudienceFilterSet.BY_CATEGORY: gettext("Category"),
                AudienceFilterSet.BY_NEIGHBOURHOOD: gettext("Neighbourhood"),
            }.get(self.group, gettext("Shop"))
        return super().get_heading(queryset, field)

    def get_queryset(self):
        return DailyCount.objects.all()

    def get_rows(self, queryset):
        self.weeks = audience_by_week(queryset, self.period)
        self.per_shop = audience_by_shop(queryset)
        self.rows = audience_numbers(self.per_shop, self.group)
        return self.rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        by_group = self.group in (AudienceFilterSet.BY_CATEGORY, AudienceFilterSet.BY_NEIGHBOURHOOD)
        top = audience_numbers(self.per_shop, None) if by_group else self.rows
        context["intents"] = INTENTS
        context["label_heading"] = self.get_heading(None, "label")
        context["grouped"] = by_group
        context["total"] = total = AudienceNumbers(None, gettext("All shops"))
        for numbers in self.per_shop.values():
            total.add(numbers)
        context["charts"] = [
            trend_chart(
                "audience-trend",
                gettext("Page views and visit intents each week"),
                [week for week, _views, _intents in self.weeks],
                [
                    (gettext("Page views"), [views for _w, views, _i in self.weeks], {}),
                    (
                        gettext("Visit intents"),
                        [intents for _w, _v, intents in self.weeks],
                        {"colour": charts.ORANGE, "dashed": True, "square": True},
                    ),
                ],
            ),
            top_chart(
                "audience-top",
                gettext("Most viewed shops"),
                gettext("Page views"),
                [(n.label, n.views) for n in top],
            ),
        ]
        return context


class SearchesReportView(CityReportView):
    page_title = _("Searches")
    header_icon = "search"
    url_name = "searches"
    results_template_name = "insights/reports/searches_results.html"
    filterset_class = SearchesFilterSet
    list_export = ["query", "searches", "days", "last_results"]
    export_headings = {
        "query": _("Words searched"),
        "searches": _("Times searched"),
        "days": _("Days"),
        "last_results": _("Results the last time"),
    }

    def get_queryset(self):
        return SearchRecord.objects.all()

    def get_rows(self, queryset):
        return search_numbers(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The share of searches that found nothing, over the whole period whatever the filter.
        records = SearchRecord.objects.filter(day__gte=self.period.start, day__lte=self.period.end)
        totals = records.aggregate(
            searches=Coalesce(Sum("hits"), 0),
            without_result=Coalesce(Sum("hits", filter=Q(results=0)), 0),
        )
        if totals["searches"]:
            totals["share"] = (
                Decimal(totals["without_result"]) * HUNDRED / totals["searches"]
            ).quantize(TENTH, rounding=ROUND_HALF_UP)
        context["totals"] = totals
        return context


class CommissionReportView(CityReportView):
    page_title = _("Commission")
    header_icon = "doc-full"
    url_name = "commission"
    results_template_name = "insights/reports/commission_results.html"
    filterset_class = CommissionFilterSet
    list_export = [
        "month_label",
        "shop",
        "legal_name",
        "company_number",
        "requests",
        "goods",
        "fees",
        "rates",
        "commission",
    ]
    export_headings = {
        "month_label": _("Month"),
        "shop": _("Shop"),
        "legal_name": _("Legal name"),
        "company_number": _("Company number"),
        "requests": _("Completed requests"),
        "goods": _("Goods (EUR)"),
        "fees": _("Delivery fees (EUR)"),
        "rates": _("Commission rate"),
        "commission": _("Commission (EUR)"),
    }

    def get_queryset(self):
        return completed_requests()

    def get_rows(self, queryset):
        lines, self.total = commission_lines(queryset)
        return lines

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["total"] = self.total
        return context


# Admin URLs and menu ---------------------------------------------------------------------

REPORTS = [
    # (view, menu label, order)
    (ShopsReportView, _("Shops"), 100),
    (RequestsReportView, _("Order requests"), 200),
    (AudienceReportView, _("Audience"), 300),
    (SearchesReportView, _("Searches"), 400),
    (CommissionReportView, _("Commission"), 500),
]


def admin_urls():
    patterns = []
    for view, _label, _order in REPORTS:
        patterns += [
            path(f"{view.url_name}/", view.as_view(), name=view.url_name),
            path(
                f"{view.url_name}/results/",
                view.as_view(results_only=True),
                name=f"{view.url_name}_results",
            ),
        ]
    return [path("statistics/", include((patterns, "insights_reports")))]


@hooks.register("register_admin_urls")
def register_report_urls():
    return admin_urls()


class CityEditorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_city_editor(request.user)


# Other modules may add their own entries with this hook.
statistics_menu = Menu(
    register_hook_name="register_statistics_menu_item",
    construct_hook_name="construct_statistics_menu",
)


def _report_menu_item(view, label, order):
    return lambda: CityEditorMenuItem(
        label,
        reverse(f"insights_reports:{view.url_name}"),
        name=f"statistics-{view.url_name}",
        icon_name=view.header_icon,
        order=order,
    )


for _view, _label, _order in REPORTS:
    hooks.register("register_statistics_menu_item", _report_menu_item(_view, _label, _order))


@hooks.register("register_admin_menu_item")
def register_statistics_menu():
    # Shown only when one of its entries is: never to a merchant.
    return SubmenuMenuItem(
        _("Statistics"), statistics_menu, name="statistics", icon_name="table", order=250
    )
