"""Collection points in the admin: the city's viewset, and the point staff's day list.

The staff's views take every object through `staffed_point_ids` (the ownership rule,
merchants/ownership.py): another point's collection answers 404, like a missing one."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from home.forms import DayField
from merchants.admin_guards import PortalSnippetViewSet
from merchants.models import AwayPayment
from merchants.ownership import staffed_point_ids
from orders.models import Status

from . import pickups
from .models import CollectionPoint, GroupedPickup, Parcel, PickupState

HOME_URL = "collection_staff_home"
DAY_URL = "collection_staff_day"
RECEIVED_URL = "collection_staff_received"
HANDED_OVER_URL = "collection_staff_handed_over"
NOT_COLLECTED_URL = "collection_staff_not_collected"


class CollectionPointViewSet(PortalSnippetViewSet):
    """The city's alone: merchants hold no permission on collection points."""

    model = CollectionPoint
    icon = "site"
    menu_label = _("Collection points")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "town", "capacity_per_day", "paused_until"]


# The point staff's views


def points_for(user):
    ids = staffed_point_ids(user)
    points = CollectionPoint.objects.order_by("name")
    return points if ids is None else points.filter(pk__in=ids)


def _for_user(queryset, user, point_field, **lookup):
    ids = staffed_point_ids(user)
    if ids is not None:
        queryset = queryset.filter(**{f"{point_field}__in": ids})
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404
    return found


class DayForm(forms.Form):
    day = DayField()


def home(request):
    """The staff's entry: their point's day list, or the list of their points."""
    points = list(points_for(request.user)[:2])
    if not points:
        raise Http404
    if len(points) == 1:
        return redirect(DAY_URL, point_id=points[0].pk)
    return DayView.as_view(points=points_for(request.user))(request, point_id=None)


class DayView(WagtailAdminTemplateMixin, TemplateView):
    """A point's collections of one day: who comes, which shops' parcels are there, what to
    collect on the shops' behalf; big buttons, usable on a phone."""

    template_name = "collection/admin/day.html"
    header_icon = "site"
    points = None

    def get_page_title(self):
        return self.point.name if self.point else gettext("Collections")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.point is None:
            return {**context, "points": self.points}
        today = timezone.localdate()
        form = DayForm(
            self.request.GET if "day" in self.request.GET else None, initial={"day": today}
        )
        day = (form.is_bound and form.is_valid() and form.cleaned_data["day"]) or today
        collections = list(
            self.point.pickups.filter(day=day)
            .select_related("checkout")
            .prefetch_related(
                Prefetch(
                    "parcels",
                    queryset=Parcel.objects.select_related("request__shop").order_by(
                        "request__shop__title", "pk"
                    ),
                )
            )
            .order_by("reference")
        )
        return {
            **context,
            "point": self.point,
            "form": form,
            "day": day,
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
            "is_today": day == today,
            "collections": [_row(pickup, today) for pickup in collections],
        }

    def get(self, request, point_id):
        self.point = None
        if point_id is not None:
            self.point = _for_user(CollectionPoint.objects.all(), request.user, "pk", pk=point_id)
        return super().get(request)


def _row(pickup, today):
    parcels = list(pickup.parcels.all())
    first = parcels[0].request if parcels else None
    shops = []
    for parcel in parcels:
        order = parcel.request
        on_handover = order.shop.grouped_pickup_payment == AwayPayment.ON_HANDOVER
        shops.append(
            {
                "parcel": parcel,
                "shop": order.shop.title,
                "request": order.reference,
                "dropped": order.status in pickups.DROPPED_OUT,
                "announced": order.status == Status.AT_POINT,
                "receivable": pickup.state == PickupState.EXPECTED
                and not parcel.received_at
                and order.status not in (*pickups.DROPPED_OUT, Status.NEW),
                "to_collect": order.items_total if on_handover else None,
            }
        )
    kept = [shop for shop in shops if not shop["dropped"]]
    return {
        "pickup": pickup,
        # Names and phone are the requests' (the same resident for all): no e-mail here.
        "name": first.name if first else "",
        "phone": first.phone if first else "",
        "shops": shops,
        "to_collect": sum(shop["to_collect"] or 0 for shop in kept),
        "may_give_up": pickup.may_be_given_up(today),
    }


def _back_to_day(pickup):
    return redirect(f"{reverse(DAY_URL, args=[pickup.point_id])}?day={pickup.day.isoformat()}")


@require_POST
def received(request, parcel_id):
    parcel = _for_user(
        Parcel.objects.select_related("pickup", "request__shop"),
        request.user,
        "pickup__point",
        pk=parcel_id,
    )
    try:
        pickups.receive(parcel, request.user)
    except pickups.NotNow:
        messages.error(request, gettext("This parcel cannot be received now: nothing changed."))
    else:
        messages.success(
            request,
            gettext("%(shop)s's parcel for %(reference)s is received.")
            % {"shop": parcel.request.shop.title, "reference": parcel.pickup.reference},
        )
    return _back_to_day(parcel.pickup)


def _close(request, pickup_id, move, done):
    pickup = _for_user(
        GroupedPickup.objects.select_related("point"), request.user, "point", pk=pickup_id
    )
    try:
        move(pickup, request.user)
    except pickups.NotNow:
        messages.error(
            request,
            gettext("Collection %(reference)s cannot be closed now: nothing changed.")
            % {"reference": pickup.reference},
        )
    else:
        messages.success(request, done % {"reference": pickup.reference})
    return _back_to_day(pickup)


@require_POST
def handed_over(request, pickup_id):
    return _close(
        request, pickup_id, pickups.hand_over, gettext("Collection %(reference)s is handed over.")
    )


@require_POST
def not_collected(request, pickup_id):
    return _close(
        request,
        pickup_id,
        pickups.not_collected,
        gettext("Collection %(reference)s is marked not collected."),
    )


def admin_urls():
    return [
        path("pick-ups/", home, name=HOME_URL),
        path("pick-ups/<int:point_id>/", DayView.as_view(), name=DAY_URL),
        path("pick-ups/parcels/<int:parcel_id>/received/", received, name=RECEIVED_URL),
        path("pick-ups/<int:pickup_id>/handed-over/", handed_over, name=HANDED_OVER_URL),
        path("pick-ups/<int:pickup_id>/not-collected/", not_collected, name=NOT_COLLECTED_URL),
    ]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        ids = staffed_point_ids(request.user)
        return ids is None or bool(ids)


def menu_item():
    """For the points' staff (and the city): the day's collections."""
    return StaffMenuItem(
        _("Collections of the day"),
        reverse(HOME_URL),
        name="collections-of-the-day",
        icon_name="list-ul",
        order=205,
    )
