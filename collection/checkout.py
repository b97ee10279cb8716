"""Grouped pick-up at checkout: the choice offered beside pick-up and delivery, its
checks, and what `orders.checkout.place` stores for it (orders reaches this module by
the hooks registered in wagtail_hooks.py, as it reaches no app above it directly).

One point and one day for every shop the resident collects there. A day is offered when
the point is open and not paused, not full (`capacity_per_day` counts collections), within
the usual horizon and no earlier than every chosen shop's preparation time allows."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from merchants.models import AwayPayment
from orders.checkout import NotPlaced
from orders.forms import PREFERRED_DAY_HORIZON
from orders.models import Fulfilment

from .models import CollectionPoint, GroupedPickup, Parcel

POINT_FIELD = "collection_point"
DAY_FIELD = "collection_day"
OFFERED_DAYS_SHOWN = 6


def ready_day(shop, now=None):
    """The first day `shop` can have a request sent now ready, by its preparation time."""
    return timezone.localdate(shop.ready_time(now))


def offered_days(point, shops, today, now=None):
    """The days residents may collect `shops`' goods at `point`, from `today` on."""
    last = today + timedelta(days=PREFERRED_DAY_HORIZON)
    earliest = max([today, *(ready_day(shop, now) for shop in shops)])
    taken = point.collections_by_day(earliest, last)
    days = []
    day = earliest
    while day <= last:
        if (
            not point.is_paused(day)
            and taken.get(day, 0) < point.capacity_per_day
            and point.is_open_on(day)
        ):
            days.append(day)
        day += timedelta(days=1)
    return days


def usable_points(shops):
    """The points that admit at least one of `shops`, with what the checks read prefetched."""
    points = CollectionPoint.objects.prefetch_related("opening_hours", "closures", "shops")
    return [point for point in points if any(point.admits(shop) for shop in shops)]


class CollectionChoice:
    """What a checkout form gains when some of its shops offer grouped pick-up."""

    template = "collection/checkout_fields.html"
    review_template = "collection/review.html"

    def __init__(self, form, points, shops):
        self.form = form
        self.points = points
        self.shops = shops
        self.days = {
            point.pk: offered_days(point, shops, form.today)[:OFFERED_DAYS_SHOWN]
            for point in points
        }

    @property
    def point_field(self):
        return self.form[POINT_FIELD]

    @property
    def day_field(self):
        return self.form[DAY_FIELD]

    def offers(self):
        """[(point, its next offered days)] for the template."""
        return [(point, self.days[point.pk]) for point in self.points]

    def chosen_point(self):
        pk = self.form.cleaned_data.get(POINT_FIELD)
        return next((point for point in self.points if str(point.pk) == str(pk)), None)

    def chosen_shops(self):
        cleaned = self.form.cleaned_data
        return [
            group.shop
            for group in self.form.groups
            if cleaned.get(self.form.shop_field(group.shop, "fulfilment")) == Fulfilment.COLLECTION
        ]

    def payments(self):
        """Per shop collected at the point: what to pay, to whom (for the review page)."""
        return [
            payment(group.shop, group.subtotal)
            for group in self.form.groups
            if group.shop in self.chosen_shops()
        ]


def payment(shop, amount):
    beforehand = shop.grouped_pickup_payment == AwayPayment.BEFOREHAND
    return {
        "shop": shop.title,
        "amount": str(amount),
        "beforehand": beforehand,
        "instructions": shop.prepayment_instructions if beforehand else "",
    }


def extend_checkout_form(form):
    """Offer "Grouped pick-up at <point>" to the shops that allow it, and the point and
    day fields (one for all of them)."""
    shops = [group.shop for group in form.groups if group.shop.grouped_pickup]
    points = usable_points(shops) if shops else []
    if not points:
        return
    choice = CollectionChoice(form, points, shops)
    if len(points) == 1:
        label = _("Grouped pick-up at %(point)s") % {"point": points[0].name}
    else:
        label = _("Grouped pick-up at a collection point (choose it below)")
    for shop in shops:
        if any(point.admits(shop) for point in points):
            field = form.fields[form.shop_field(shop, "fulfilment")]
            field.choices = [*field.choices, (Fulfilment.COLLECTION, label)]
    form.fields[POINT_FIELD] = forms.ChoiceField(
        label=gettext_lazy("Collection point"),
        choices=[(str(point.pk), point.name) for point in points],
        widget=forms.RadioSelect,
        required=False,
        initial=str(points[0].pk) if len(points) == 1 else None,
    )
    form.fields[DAY_FIELD] = forms.DateField(
        label=gettext_lazy("Day you will collect"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("Enter a date such as 24/12/2026.")},
    )
    form.extensions.append(choice)


def clean_checkout_form(form):
    choice = next((e for e in form.extensions if isinstance(e, CollectionChoice)), None)
    if choice is None:
        return
    shops = choice.chosen_shops()
    if not shops:
        form.cleaned_data[POINT_FIELD] = form.cleaned_data[DAY_FIELD] = None
        return
    point = choice.chosen_point()
    if point is None:
        form.add_error(POINT_FIELD, _("Choose where you will collect your products."))
        return
    for shop in shops:
        if not point.admits(shop):
            form.add_error(
                form.shop_field(shop, "fulfilment"),
                _("%(point)s does not take %(shop)s's parcels. Choose another way.")
                % {"point": point.name, "shop": shop.title},
            )
    if DAY_FIELD in form.errors:
        return
    day = form.cleaned_data.get(DAY_FIELD)
    error = day_problem(point, shops, day, form.today)
    if error:
        form.add_error(DAY_FIELD, error)


def day_problem(point, shops, day, today, now=None):
    """Why `day` cannot be the collection day of `shops` at `point`, or None."""
    if day is None:
        return _("Choose the day you will collect your products.")
    if day < today:
        return _("Choose today or a later day.")
    if day > today + timedelta(days=PREFERRED_DAY_HORIZON):
        return _("Choose a day within the next 30 days.")
    words = {"point": point.name, "day": date_format(day, "l j F")}
    if point.is_paused(day):
        return _("%(point)s takes no collections until %(until)s.") % {
            **words,
            "until": date_format(point.paused_until, "l j F"),
        }
    if not point.is_open_on(day):
        return _("%(point)s is closed on %(day)s. Choose a day when it is open.") % words
    for shop in shops:
        ready = ready_day(shop, now)
        if day < ready:
            return _(
                "%(shop)s needs until %(ready)s to prepare your products. Choose a later day."
            ) % {"shop": shop.title, "ready": date_format(ready, "l j F")}
    if point.is_full_on(day):
        return _("%(point)s is full on %(day)s. Choose another day.") % words
    return None


def checkout_placed(checkout, orders, answers):
    """Inside `place`'s transaction: the grouped pick-up of the requests collected at a
    point, after checking again, on the point's locked row, that the day is not full (two
    residents sending at once take turns here). Returns the e-mails' context."""
    collected = [order for order in orders if order.fulfilment == Fulfilment.COLLECTION]
    if not collected:
        return {}
    point = (
        CollectionPoint.objects.select_for_update(of=("self",))
        .filter(pk=answers.get(POINT_FIELD))
        .first()
    )
    day = answers.get(DAY_FIELD)
    if point is None or day is None:
        raise NotPlaced(_("Choose where and when you will collect your products."))
    problem = day_problem(point, [order.shop for order in collected], day, timezone.localdate())
    if problem:
        raise NotPlaced(problem)
    pickup = GroupedPickup.objects.create(checkout=checkout, point=point, day=day)
    Parcel.objects.bulk_create(Parcel(pickup=pickup, request=order) for order in collected)
    for order in collected:
        # The shop reads the day where it reads a pick-up's preferred day.
        order.preferred_date = day
        order.save(update_fields=["preferred_date"])
    return {"collection": mail_context(pickup, collected)}


def mail_context(pickup, orders):
    point = pickup.point
    return {
        "reference": pickup.reference,
        "point": point.name,
        "address": f"{point.street_address}, {point.postcode} {point.town}",
        "instructions": point.instructions,
        "day": date_format(pickup.day, "l j F Y"),
        "payments": [payment(order.shop, order.items_total) for order in orders],
    }
