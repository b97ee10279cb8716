"""Each merchant's numbers on its admin home: a panel per shop it manages.

The month so far is set against the same days of the month before (1–9 March against 1–9
February), whole days only: today's half day against a whole one would look like a fall
every morning. On the 1st, the whole of last month is set against the month before. City
editors have the city's reports instead.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from merchants.ownership import merchant_shops
from orders.models import OrderRequest

from .models import DailyCount, Event

TOP_PRODUCTS = 5


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def starts(self):
        return timezone.make_aware(datetime.combine(self.first, time.min))

    @property
    def ends(self):
        """The first moment after the period (local midnight after its last day)."""
        return timezone.make_aware(datetime.combine(self.last + timedelta(days=1), time.min))

    @property
    def label(self):
        """ "1–10 March 2026", or "1 March 2026" for a single day."""
        last = date_format(self.last, "j F Y")
        return last if self.first == self.last else f"{self.first.day}–{last}"


def compared_periods(today):
    """(this month up to yesterday, the same days of the month before). When the month
    before is shorter, it counts whole: 1–30 March against 1–28 February."""
    yesterday = today - timedelta(days=1)
    current = Period(yesterday.replace(day=1), yesterday)
    before_end = current.first - timedelta(days=1)
    before_first = before_end.replace(day=1)
    previous = Period(before_first, before_first.replace(day=min(yesterday.day, before_end.day)))
    return current, previous


@dataclass(frozen=True)
class Comparison:
    label: str
    current: int
    previous: int

    @property
    def difference(self):
        return self.current - self.previous

    @property
    def amount(self):
        return abs(self.difference)

    @property
    def trend(self):
        if self.current == self.previous:
            return "same"
        return "up" if self.current > self.previous else "down"

    @property
    def percent(self):
        """The change in percent of last month's figure; None when there was nothing then."""
        if not self.previous:
            return None
        return round(abs(self.difference) * 100 / self.previous)


def shop_numbers(shop, today=None):
    """The figures of one shop's panel, in three queries whatever its number of products
    or days of history."""
    current, previous = compared_periods(today or timezone.localdate())
    in_current = Q(day__gte=current.first)
    in_previous = Q(day__lte=previous.last)
    counts = DailyCount.objects.filter(shop=shop, day__range=(previous.first, current.last))
    events = counts.compared(in_current, in_previous)
    requests = OrderRequest.objects.filter(
        shop=shop, created_at__gte=previous.starts, created_at__lt=current.ends
    ).aggregate(
        now=Count("pk", filter=Q(created_at__gte=current.starts)),
        before=Count("pk", filter=Q(created_at__lt=previous.ends)),
    )
    top_products = list(
        counts.filter(event=Event.VIEW, product__isnull=False)
        .values("product_id", name=F("product__name"))
        .annotate(
            views=Sum("count", filter=in_current),
            views_before=Sum("count", filter=in_previous),
        )
        .filter(views__gt=0)
        .order_by("-views", "name")[:TOP_PRODUCTS]
    )
    for product in top_products:
        product["views_before"] = product["views_before"] or 0
    return {
        "current": current,
        "previous": previous,
        "rows": [
            Comparison(
                _("Page views (your shop and its products)"),
                events["views_now"] or 0,
                events["views_before"] or 0,
            ),
            Comparison(
                _("Visit intents (calls, directions, website, social networks, shares)"),
                events["intents_now"] or 0,
                events["intents_before"] or 0,
            ),
            Comparison(_("Order requests received"), requests["now"], requests["before"]),
        ],
        "top_products": top_products,
    }


class MerchantNumbersPanel(Component):
    """One per shop the merchant manages, next to that shop's own panel."""

    template_name = "insights/admin/merchant_numbers.html"
    order = 60

    def __init__(self, shop):
        self.shop = shop
        self.name = f"numbers_{shop.pk}"

    def get_context_data(self, parent_context):
        with timezone.override(settings.TIME_ZONE):  # the town's days, not the reader's
            numbers = shop_numbers(self.shop)
        return {"panel_id": f"numbers-{self.shop.pk}", "shop": self.shop, **numbers}


def merchant_numbers_panels(user):
    return [MerchantNumbersPanel(shop) for shop in merchant_shops(user)]


@hooks.register("construct_homepage_panels")
def add_merchant_numbers_panels(request, panels):
    panels.extend(merchant_numbers_panels(request.user))
