"""The courier at checkout (the "checkout_modes" hook of orders.request_list): a shop it
serves that delivers by the town's courier offers it, with the courier's fee and a choice
of its next open windows; placing the request takes a place in the window."""

from django import forms
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from home.money import format_money
from orders.checkout import NotPlaced
from orders.forms import CheckoutForm
from orders.models import Fulfilment

from .models import DeliveryWindow, Stop, delivered_in, payment_note
from .windows import find_slot, open_slots, parse

WINDOW = "courier_window"
NOTES = "courier_notes"
STALE = _("This window is no longer available (full, or too soon for the shop). Choose another.")


class WindowField(forms.ChoiceField):
    """Its choices are checked by the courier's mode, and only when the courier is chosen."""

    def validate(self, value):
        forms.Field.validate(self, value)


class CourierMode:
    def add_fields(self, form, group, choices):
        shop = group.shop
        if not shop.courier_delivery:
            return []
        couriers = list(shop.couriers.prefetch_related("windows"))
        if not couriers:
            return []
        now = timezone.now()
        slots = [slot for courier in couriers for slot in open_slots(courier, shop, now)]
        if not hasattr(form, "courier_slots"):
            form.courier_slots = {}
        form.courier_slots[shop.pk] = slots
        several = len(couriers) > 1
        choices.append(
            (
                Fulfilment.COURIER,
                gettext("Delivery by the town's courier, %(couriers)s")
                % {
                    "couriers": ", ".join(
                        f"{courier.name} ({format_money(courier.fee)})" for courier in couriers
                    )
                },
            )
        )
        window, notes = form.shop_field(shop, WINDOW), form.shop_field(shop, NOTES)
        form.fields[window] = WindowField(
            label=_("Delivery window of the courier"),
            required=False,
            choices=[("", _("Choose a window"))]
            + [
                (
                    slot.value,
                    f"{slot.label} — {slot.window.courier.name}" if several else slot.label,
                )
                for slot in slots
            ],
            help_text=_("Only if you chose delivery by the town's courier."),
        )
        form.fields[notes] = forms.CharField(
            label=_("Notes for the courier (optional)"),
            help_text=_("Door code, floor, where to leave the parcel…"),
            required=False,
            max_length=300,
        )
        return [window, notes]

    def clean(self, form, shop, fulfilment):
        name = form.shop_field(shop, WINDOW)
        if name not in form.fields:
            return
        if fulfilment != Fulfilment.COURIER:
            form.cleaned_data[name] = ""
            form.cleaned_data[form.shop_field(shop, NOTES)] = ""
            return
        value = form.cleaned_data.get(name)
        if not value:
            form.add_error(name, _("Choose a delivery window."))
            return
        slot = find_slot(value, form.courier_slots[shop.pk])
        if slot is None:
            form.add_error(name, STALE)
            return
        courier = slot.window.courier
        postcode = form.cleaned_data.get("postcode")
        if postcode and not courier.serves(postcode):
            form.add_error(
                form.shop_field(shop, "fulfilment"),
                _(
                    "%(courier)s does not deliver to postcode %(postcode)s (only to %(codes)s). "
                    "Choose another way."
                )
                % {
                    "courier": courier.name,
                    "postcode": postcode,
                    "codes": ", ".join(courier.postcode_list),
                },
            )

    def _window(self, shop, fulfilment, answers, queryset=DeliveryWindow.objects):
        if fulfilment != Fulfilment.COURIER:
            return None, None
        parsed = parse(answers.get(CheckoutForm.shop_field(shop, WINDOW)))
        if parsed is None:
            return None, None
        window = (
            queryset.select_related("courier").filter(pk=parsed[0], courier__shops=shop).first()
        )
        return window, parsed[1]

    def fee(self, shop, fulfilment, answers):
        window, _day = self._window(shop, fulfilment, answers)
        return window.courier.fee if window else None

    def describe(self, shop, fulfilment, answers, cost):
        window, day = self._window(shop, fulfilment, answers)
        if window is None:
            return []
        starts_at, ends_at = window.on(day)
        label = Stop(starts_at=starts_at, ends_at=ends_at).window_label
        return [
            delivered_in(window.courier, label),
            payment_note(shop, window.courier, cost.items, cost.fee),
        ]

    def placed(self, order, answers):
        """Take a place in the chosen window. Its row is locked first: two checkouts at once
        count the window's places one after the other, and never fill it beyond capacity."""
        if order.fulfilment != Fulfilment.COURIER:
            return
        locked = DeliveryWindow.objects.select_for_update(of=("self",))
        window, _day = self._window(order.shop, order.fulfilment, answers, locked)
        value = answers.get(CheckoutForm.shop_field(order.shop, WINDOW))
        slot = window and find_slot(value, open_slots(window.courier, order.shop))
        if not slot:
            raise NotPlaced(
                gettext("%(shop)s: %(problem)s") % {"shop": order.shop.title, "problem": STALE}
            )
        # Last of its round for now: after the stops the courier may have put in order.
        last = Stop.objects.filter(courier=window.courier, starts_at=slot.starts_at).aggregate(
            last=Max("position")
        )["last"]
        Stop.objects.create(
            request=order,
            courier=window.courier,
            window=window,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            position=(last or 0) + 1,
            notes=answers.get(CheckoutForm.shop_field(order.shop, NOTES), ""),
        )


def mail_context(order):
    """The "order_mail_context" hook: the courier, its window and what to pay to whom."""
    if order.fulfilment != Fulfilment.COURIER:
        return {}
    stop = Stop.objects.filter(request=order).select_related("courier").first()
    if stop is None:
        return {}
    stop.request = order
    delivery, payment = stop.for_resident()
    return {
        "courier": stop.courier.name,
        "courier_window": stop.window_label,
        "courier_delivery": delivery,
        "payment_note": payment,
    }
