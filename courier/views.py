"""Couriers in the admin: the city's snippet; and each courier's round sheet, on a phone
and on A4, with its stops marked done or failed and moved up or down."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.auth import require_admin_access
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from home.forms import DayField
from merchants.admin_guards import PortalSnippetViewSet
from merchants.ownership import courier_ids
from orders.models import Status

from . import rounds
from .models import Courier, Stop
from .windows import day_bounds

SHEET = "courier_round_sheet"


class CourierViewSet(PortalSnippetViewSet):
    """The city's alone: merchants and couriers hold no permission on couriers."""

    model = Courier
    icon = "pick"
    menu_label = _("Couriers")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["name", "kind", "postcodes", "fee"]


def couriers_for(user):
    ids = courier_ids(user)
    couriers = Courier.objects.order_by("name")
    return couriers if ids is None else couriers.filter(pk__in=ids)


def rides_for_a_courier(user):
    ids = courier_ids(user)
    return ids is None or bool(ids)


def courier_only(view):
    @require_admin_access
    def guarded(request, *args, **kwargs):
        if not rides_for_a_courier(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


def stop_for_user(user, pk):
    """The stop `pk` of a courier `user` rides for; any other is not found (404)."""
    ids = courier_ids(user)
    stops = Stop.objects.select_related("courier", "request__shop")
    stop = (
        stops.filter(pk=pk).first()
        if ids is None
        else stops.filter(pk=pk, courier_id__in=ids).first()
    )
    if stop is None:
        raise Http404
    return stop


class DayForm(forms.Form):
    day = DayField()
    courier = forms.ModelChoiceField(queryset=Courier.objects.none(), required=False)

    def __init__(self, *args, couriers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["courier"].queryset = couriers
        self.fields["courier"].label = _("Courier")


class Round:
    """One window of one day: its pick-ups (by shop) then its drop-offs, in the sheet's order."""

    def __init__(self, stops):
        self.stops = stops
        self.starts_at, self.label = stops[0].starts_at, stops[0].window_label
        pickups = {}
        for stop in stops:
            pickups.setdefault(stop.request.shop, []).append(stop)
        self.pickups = [
            {
                "shop": shop,
                "stop": shop_stops[0],
                "parcels": len(shop_stops),
                "ready": sum(s.request.status == Status.READY for s in shop_stops),
                "picked": sum(s.request.status not in PICK_UP_PENDING for s in shop_stops),
            }
            for shop, shop_stops in sorted(pickups.items(), key=lambda item: item[0].title)
        ]
        for group in self.pickups:
            group["waiting"] = group["parcels"] - group["picked"]


PICK_UP_PENDING = (Status.NEW, Status.ACCEPTED, Status.READY)


def round_sheet(request):
    couriers = couriers_for(request.user)
    form = DayForm(request.GET, couriers=couriers)
    form.is_valid()  # a bad day or another courier's id: today, and the user's own
    day = form.cleaned_data.get("day") or timezone.localdate()
    courier = form.cleaned_data.get("courier") or couriers.first()
    rounds_of_day = []
    if courier is not None:
        start, end = day_bounds(day)
        stops = list(
            Stop.objects.taking_a_place()
            .filter(courier=courier, starts_at__gte=start, starts_at__lt=end)
            .select_related("request__shop", "courier")
            .for_sheet()
        )
        by_window = {}
        for stop in stops:
            by_window.setdefault(stop.starts_at, []).append(stop)
        rounds_of_day = [Round(window_stops) for window_stops in by_window.values()]
    return TemplateResponse(
        request,
        "courier/round_sheet.html",
        {
            "form": form,
            "courier": courier,
            "several": len(couriers) > 1,
            "day": day,
            "previous": (day - timedelta(days=1)).isoformat(),
            "next": (day + timedelta(days=1)).isoformat(),
            "rounds": rounds_of_day,
            "fail_form": FailForm(),
        },
    )


def back_to_sheet(stop):
    day = timezone.localtime(stop.starts_at).date()
    return redirect(f"{reverse(SHEET)}?day={day.isoformat()}&courier={stop.courier_id}")


@require_POST
def picked_up(request, pk):
    stop = stop_for_user(request.user, pk)
    count = rounds.pick_up(stop.courier, stop.request.shop, stop.starts_at, request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(shop)s: %(count)s parcel out for delivery.",
                "%(shop)s: %(count)s parcels out for delivery.",
                count,
            )
            % {"shop": stop.request.shop.title, "count": count},
        )
    else:
        messages.error(
            request,
            gettext("%(shop)s has no parcel ready for you yet.")
            % {"shop": stop.request.shop.title},
        )
    return back_to_sheet(stop)


@require_POST
def done(request, pk):
    stop = stop_for_user(request.user, pk)
    if rounds.drop_off(stop, request.user):
        messages.success(request, gettext("%(name)s: delivered.") % {"name": stop.request.name})
    else:
        messages.error(request, not_out_message(stop))
    return back_to_sheet(stop)


class FailForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it failed"),
        max_length=300,
        help_text=_("Nobody home, wrong address, refused…"),
        error_messages={"required": _("Say why the delivery failed.")},
    )


def failed(request, pk):
    stop = stop_for_user(request.user, pk)
    form = FailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if rounds.fail(stop, request.user, reason=form.cleaned_data["reason"]):
            messages.success(
                request, gettext("%(name)s: not delivered.") % {"name": stop.request.name}
            )
        else:
            messages.error(request, not_out_message(stop))
        return back_to_sheet(stop)
    return TemplateResponse(
        request,
        "courier/stop_failed.html",
        {"form": form, "stop": stop, "day": timezone.localtime(stop.starts_at).date()},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def move(request, pk, direction):
    if direction not in ("up", "down"):
        raise Http404
    stop = stop_for_user(request.user, pk)
    rounds.move(stop, up=direction == "up")
    return back_to_sheet(stop)


def not_out_message(stop):
    return gettext(
        "%(reference)s is not out for delivery (pick it up first, or it is done already)."
    ) % {"reference": stop.request.reference}


def admin_urls():
    return [
        path("courier/", courier_only(round_sheet), name=SHEET),
        path("courier/stop/<int:pk>/picked-up/", courier_only(picked_up), name="courier_picked_up"),
        path("courier/stop/<int:pk>/done/", courier_only(done), name="courier_stop_done"),
        path("courier/stop/<int:pk>/failed/", courier_only(failed), name="courier_stop_failed"),
        path(
            "courier/stop/<int:pk>/<str:direction>/",
            courier_only(move),
            name="courier_stop_move",
        ),
    ]


class RoundSheetMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(courier_ids(request.user))


def menu_item():
    return RoundSheetMenuItem(_("Round sheet"), reverse(SHEET), icon_name="list-ul", order=50)


class RoundSheetPanel(Component):
    """The courier's home: today's round sheet, one tap away."""

    name = "courier_round_sheet"
    order = 10
    template_name = "courier/home_panel.html"

    def __init__(self, couriers):
        self.couriers = couriers

    def get_context_data(self, parent_context=None):
        return {"couriers": self.couriers}


def home_panels(user):
    ids = courier_ids(user)
    if not ids:
        return []
    return [RoundSheetPanel(list(Courier.objects.filter(pk__in=ids).order_by("name")))]
