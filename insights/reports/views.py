"""The reports' pages: Wagtail's ReportView (filters, pagination, CSV and XLSX exports)
presenting the numbers of reports.numbers, with their charts, admin URLs and menu. Every
shop's numbers are the city's alone: only city editors and superusers reach these pages
and exports."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.views.reports import ReportView

from home.spreadsheets import SpreadsheetSafeExportMixin
from merchants.ownership import is_city_editor
from orders.models import Fulfilment, OrderRequest, Status
from search.models import SearchRecord

from .. import charts
from ..filters import (
    AudienceFilterSet,
    CommissionFilterSet,
    RequestsFilterSet,
    SearchesFilterSet,
    ShopsFilterSet,
)
from ..models import INTENTS, DailyCount
from .numbers import (
    DAYS_IN_WEEK,
    audience_by_shop,
    audience_by_week,
    audience_numbers,
    audience_total,
    commission_lines,
    completed_requests,
    describe_shop,
    request_numbers,
    search_numbers,
    search_totals,
    shops_overview,
    shops_summary,
    week_label,
)

TOP_SHOPS = 10

# Charts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    """A chart and its numbers as a table."""

    title: str
    svg: str
    headings: list
    rows: list
    notes: tuple = ()  # what its marks mean, in words under it


def trend_chart(chart_id, title, period, weeks, first, second):
    """Two lines over the weeks of `period`, each (name, values), with their table: the
    second told apart from the first without colour too (dashed, square markers). A week
    the period covers only in part (this one so far) is marked as such everywhere, so that
    its smaller numbers are not read as a fall."""
    days = [period.days_of_week(week) for week in weeks]
    partial = {index for index, count in enumerate(days) if count < DAYS_IN_WEEK}
    labels = [date_format(week, "j M") for week in weeks]
    lines = [
        charts.Series(*first),
        charts.Series(*second, colour=charts.ORANGE, dashed=True, square=True),
    ]
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
    notes = tuple(
        ngettext(
            "* Partial week of %(week)s: %(days)d day of 7 counted.",
            "* Partial week of %(week)s: %(days)d days of 7 counted.",
            days[index],
        )
        % {"week": week_label(weeks[index]), "days": days[index]}
        for index in sorted(partial)
    )
    description = " ".join([description, *notes])
    svg = charts.line_chart(chart_id, title, description, labels, lines, partial=partial)
    rows = [
        [week_label(week, days[i]), *(s.values[i] for s in lines)] for i, week in enumerate(weeks)
    ]
    return Chart(title, svg, [gettext("Week of"), *(s.name for s in lines)], rows, notes)


def top_chart(chart_id, title, heading, rows):
    """Bars of the first TOP_SHOPS (label, value) rows that have a value."""
    rows = [(label, value) for label, value in rows if value][:TOP_SHOPS]
    if not rows:
        return None
    description = "; ".join(f"{label}: {value}" for label, value in rows)
    svg = charts.bar_chart(chart_id, title, description, rows)
    return Chart(title, svg, [gettext("Shop"), heading], [list(row) for row in rows])


# Views ---------------------------------------------------------------------------------


class CityReportView(SpreadsheetSafeExportMixin, ReportView):
    """A report of every shop's numbers over a period, with CSV and XLSX exports: the
    columns of `export_headings`, in their order."""

    template_name = "insights/reports/report.html"
    breadcrumbs_items = [*ReportView.breadcrumbs_items, {"url": "", "label": _("Statistics")}]
    paginate_by = 50
    # The name of the page's URL, of its results with "_results", and of their template.
    url_name = ""

    def dispatch(self, request, *args, **kwargs):
        # The page, its results fragment and its exports are this view: one check for all.
        if not is_city_editor(request.user):
            raise PermissionDenied  # Wagtail's admin answers with a redirect and a message
        # Days, weeks and months are the town's, whatever time zone the reader chose in
        # the admin: a request completed at 00:30 on 1 April is April's commission.
        with timezone.override(settings.TIME_ZONE):
            return super().dispatch(request, *args, **kwargs)

    @property
    def results_template_name(self):
        return f"insights/reports/{self.url_name}_results.html"

    @property
    def index_url_name(self):
        return f"insights_reports:{self.url_name}"

    @property
    def index_results_url_name(self):
        return f"insights_reports:{self.url_name}_results"

    @property
    def list_export(self):
        return list(self.export_headings)

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
    filterset_class = ShopsFilterSet
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
        "catalogue": _("Catalogue source"),
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
        "collection": Fulfilment.COLLECTION.label,
        "courier": Fulfilment.COURIER.label,
    }

    @property
    def list_export(self):
        fields = super().list_export
        if self.group == RequestsFilterSet.BY_WEEK:
            fields[0] = "key"  # the week's Monday, a date in a spreadsheet
            fields.append("days")  # last, so that the other columns keep their places
        return fields

    def get_heading(self, queryset, field):
        if field == "key":
            return gettext("Week of")
        if field == "days":
            return gettext("Days counted")
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
        weeks, shops = self.report.by_week, self.report.by_shop
        context["total"] = self.report.total
        context["statuses"] = Status.choices
        context["by_week"] = self.group == RequestsFilterSet.BY_WEEK
        context["charts"] = [
            trend_chart(
                "requests-trend",
                gettext("Requests received each week"),
                self.period,
                [n.key for n in weeks],
                (gettext("Requests received"), [n.received for n in weeks]),
                (gettext("Completed"), [n.statuses[Status.COMPLETED] for n in weeks]),
            ),
            top_chart(
                "requests-top",
                gettext("Shops that received the most requests"),
                gettext("Requests received"),
                [(n.label, n.received) for n in shops],
            ),
        ]
        return context


class AudienceReportView(CityReportView):
    page_title = _("Audience")
    header_icon = "view"
    url_name = "audience"
    filterset_class = AudienceFilterSet
    export_headings = {
        "label": _("Shop"),
        "shop_views": _("Views of the shop's page"),
        "product_views": _("Views of its products' pages"),
        "views": _("Page views"),
        **{f"intents.{event.value}": event.label for event in INTENTS},
        "intent_total": _("Visit intents"),
    }

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
        context["total"] = audience_total(self.per_shop)
        context["charts"] = [
            trend_chart(
                "audience-trend",
                gettext("Page views and visit intents each week"),
                self.period,
                [week for week, _views, _intents in self.weeks],
                (gettext("Page views"), [views for _w, views, _i in self.weeks]),
                (gettext("Visit intents"), [intents for _w, _v, intents in self.weeks]),
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
    filterset_class = SearchesFilterSet
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
        context["totals"] = search_totals(records)
        return context


class CommissionReportView(CityReportView):
    page_title = _("Commission")
    header_icon = "doc-full"
    url_name = "commission"
    filterset_class = CommissionFilterSet
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
        # Last, so that the columns above keep their places in a town's spreadsheets.
        "collection_requests": _("Of which grouped pick-ups"),
        "courier_requests": _("Of which courier deliveries"),
        "courier_fees": _("Courier's fees (EUR)"),
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

# In the menu's order; each is listed under its page title.
REPORTS = [
    ShopsReportView,
    RequestsReportView,
    AudienceReportView,
    SearchesReportView,
    CommissionReportView,
]


def admin_urls():
    patterns = []
    for view in REPORTS:
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


def _report_menu_item(view, order):
    return lambda: CityEditorMenuItem(
        view.page_title,
        reverse(f"insights_reports:{view.url_name}"),
        name=f"statistics-{view.url_name}",
        icon_name=view.header_icon,
        order=order,
    )


for _position, _view in enumerate(REPORTS, start=1):
    hooks.register("register_statistics_menu_item", _report_menu_item(_view, 100 * _position))


@hooks.register("register_admin_menu_item")
def register_statistics_menu():
    # Shown only when one of its entries is: never to a merchant.
    return SubmenuMenuItem(
        _("Statistics"), statistics_menu, name="statistics", icon_name="table", order=250
    )
