"""The filters of the city's reports: the period each report is read for, and its own choices.

Every filter has a default, so that a report opened from the menu shows something useful
(the last 12 weeks) and a default does not count as an active filter in Wagtail's header.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets import AdminDateInput

from merchants.models import MerchantPage
from orders.models import OrderRequest
from search.models import SearchRecord

from .models import DailyCount

DEFAULT_WEEKS = 12


def monday(day):
    return day - timedelta(days=day.weekday())


def first_of_month(day):
    return day.replace(day=1)


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included, in the town's time zone."""

    start: date
    end: date

    @property
    def bounds(self):
        """The aware datetimes [start at midnight, the day after end at midnight)."""
        return (
            timezone.make_aware(datetime.combine(self.start, time.min)),
            timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min)),
        )

    def weeks(self):
        """The Mondays of the weeks the period touches, first to last."""
        week, last = monday(self.start), monday(self.end)
        weeks = []
        while week <= last:
            weeks.append(week)
            week += timedelta(weeks=1)
        return weeks

    def days_of_week(self, week):
        """How many days of the week from Monday `week` the period covers: 7 for a whole
        week, fewer for one it starts or ends in the middle of (such as this week so far)."""
        first, last = max(week, self.start), min(week + timedelta(days=6), self.end)
        return max((last - first).days + 1, 0)

    def months(self):
        """The first days of the months the period touches, first to last."""
        month, last = first_of_month(self.start), first_of_month(self.end)
        months = []
        while month <= last:
            months.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return months


def last_weeks(today, weeks=DEFAULT_WEEKS):
    """The last `weeks` weeks from Monday, this one included (so a chart has `weeks` points)."""
    return Period(monday(today) - timedelta(weeks=weeks - 1), today)


def last_month_and_this_one(today):
    """What a monthly invoice is made from: the whole previous month, and this one so far."""
    return Period(first_of_month(first_of_month(today) - timedelta(days=1)), today)


EARLIEST = date(2000, 1, 1)
LATEST_AHEAD = timedelta(days=366)
LONGEST = timedelta(days=5 * 366)


class PeriodForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("The period must end on or after its first day."))
        for name in ("start", "end"):
            day = cleaned.get(name)
            if day and not EARLIEST <= day <= timezone.localdate() + LATEST_AHEAD:
                self.add_error(name, _("Choose a date between 2000 and next year."))
        if start and end and (end - start) > LONGEST:
            self.add_error("end", _("Choose a period of five years at most."))
        return cleaned


class PeriodFilterSet(WagtailFilterSet):
    """A period (from, to) applied to `period_field`, a date or a datetime of the queryset.

    `period` is always a valid period: the one asked for, or the default one when the
    form has an error (which is shown next to its field)."""

    start = django_filters.DateFilter(label=_("From"), widget=AdminDateInput, method="by_period")
    end = django_filters.DateFilter(
        label=_("To (inclusive)"), widget=AdminDateInput, method="by_period"
    )

    period_field = None  # None: the report reads the period itself, nothing is filtered
    period_is_datetime = True

    class Meta:
        form = PeriodForm
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, today=None):
        self.today = today or timezone.localdate()
        defaults = self.defaults()
        if data is not None:
            data = data.copy()
            for name, value in defaults.items():
                if not data.get(name):
                    data[name] = value
        super().__init__(data, queryset, request=request, prefix=prefix)
        for name, value in defaults.items():
            # A default is no active filter: the form sees it unchanged.
            form_field = self.form.fields[name]
            form_field.initial = form_field.to_python(value)

    def default_period(self):
        return last_weeks(self.today)

    def defaults(self):
        period = self.default_period()
        return {"start": period.start.isoformat(), "end": period.end.isoformat()}

    @property
    def period(self):
        if self.is_valid():
            return Period(self.form.cleaned_data["start"], self.form.cleaned_data["end"])
        return self.default_period()

    def by_period(self, queryset, name, value):
        return queryset  # both ends at once, in filter_queryset

    def filter_queryset(self, queryset):
        """The choices when they are valid, and the period always (the default one when the
        form has an error: never every request since the beginning by surprise)."""
        if self.is_valid():
            queryset = super().filter_queryset(queryset)
        if self.period_field is None:
            return queryset
        if self.period_is_datetime:
            starts, ends = self.period.bounds
            return queryset.filter(
                **{f"{self.period_field}__gte": starts, f"{self.period_field}__lt": ends}
            )
        return queryset.filter(
            **{
                f"{self.period_field}__gte": self.period.start,
                f"{self.period_field}__lte": self.period.end,
            }
        )


def _no_filter(queryset, name, value):
    return queryset  # a way of presenting the numbers, read by the view


class ShopsFilterSet(PeriodFilterSet):
    ACTIVE, STALE, NO_PHOTOS, NO_HOURS = "active", "stale", "no_photos", "no_hours"
    state = django_filters.ChoiceFilter(
        label=_("Shops"),
        empty_label=_("All shops"),
        choices=[
            (ACTIVE, _("Active (changed recently)")),
            (STALE, _("Not updated for a while")),
            (NO_PHOTOS, _("Without photos")),
            (NO_HOURS, _("Without opening hours")),
        ],
        method="by_state",
    )

    class Meta(PeriodFilterSet.Meta):
        model = MerchantPage

    def by_state(self, queryset, name, value):
        # The annotations of reports.shops_overview.
        return queryset.filter(
            **{
                self.ACTIVE: {"is_active": True},
                self.STALE: {"is_active": False},
                self.NO_PHOTOS: {"has_photos": False},
                self.NO_HOURS: {"has_hours": False},
            }[value]
        )


class RequestsFilterSet(PeriodFilterSet):
    BY_SHOP, BY_WEEK = "shop", "week"
    period_field = "created_at"
    group = django_filters.ChoiceFilter(
        label=_("Numbers per"),
        empty_label=None,
        choices=[(BY_SHOP, _("Shop")), (BY_WEEK, _("Week"))],
        method=_no_filter,
    )

    class Meta(PeriodFilterSet.Meta):
        model = OrderRequest

    def defaults(self):
        return {**super().defaults(), "group": self.BY_SHOP}


class AudienceFilterSet(PeriodFilterSet):
    BY_SHOP, BY_CATEGORY, BY_NEIGHBOURHOOD = "shop", "category", "neighbourhood"
    period_field = "day"
    period_is_datetime = False
    group = django_filters.ChoiceFilter(
        label=_("Numbers per"),
        empty_label=None,
        choices=[
            (BY_SHOP, _("Shop")),
            (BY_CATEGORY, _("Category")),
            (BY_NEIGHBOURHOOD, _("Neighbourhood")),
        ],
        method=_no_filter,
    )

    class Meta(PeriodFilterSet.Meta):
        model = DailyCount

    def defaults(self):
        return {**super().defaults(), "group": self.BY_SHOP}


class SearchesFilterSet(PeriodFilterSet):
    NO_RESULT = "no_result"
    period_field = "day"
    period_is_datetime = False
    found = django_filters.ChoiceFilter(
        label=_("Searches"),
        empty_label=_("All searches"),
        choices=[(NO_RESULT, _("Searches that found nothing"))],
        method="by_result",
    )

    class Meta(PeriodFilterSet.Meta):
        model = SearchRecord

    def by_result(self, queryset, name, value):
        return queryset.filter(results=0)


class CommissionFilterSet(PeriodFilterSet):
    period_field = "completed_at"  # annotated by reports.completed_requests

    class Meta(PeriodFilterSet.Meta):
        model = OrderRequest

    def default_period(self):
        return last_month_and_this_one(self.today)
