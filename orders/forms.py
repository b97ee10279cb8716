import re
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from home.forms import HoneypotMixin

from .models import Fulfilment
from .request_list import MAX_QUANTITY, checkout_modes

LINE_BREAK = re.compile(r"[\r\n]")
PHONE = re.compile(r"^[0-9+ ().\-/]{6,40}$")
PREFERRED_DAY_HORIZON = 30
# Ways of getting the goods that need the resident's address.
AT_HOME = (Fulfilment.DELIVERY, Fulfilment.COURIER)


def no_line_break(value):
    # These values end up in e-mail headers (Reply-To, subject): a line break could forge one.
    if LINE_BREAK.search(value or ""):
        raise ValidationError(_("Write this on one line."))


class QuantityField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Quantity"))
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_QUANTITY)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("Enter a whole number from 1 to 99."),
                "min_value": _("Enter a whole number from 1 to 99."),
                "max_value": _("Enter a whole number from 1 to 99."),
                "required": _("Enter a quantity."),
            },
        )
        super().__init__(**kwargs)


class AddToListForm(forms.Form):
    product = forms.IntegerField(widget=forms.HiddenInput)
    quantity = QuantityField(initial=1)


class ChangeQuantityForm(forms.Form):
    product = forms.IntegerField(widget=forms.HiddenInput)
    quantity = QuantityField(min_value=0, label=_("Quantity (0 removes the product)"))


class CheckoutForm(HoneypotMixin, forms.Form):
    """Contact details once, then for each shop: how to get the goods and a message."""

    name = forms.CharField(label=_("Your name"), max_length=120, validators=[no_line_break])
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send the confirmation and the shops' answers here."),
        validators=[no_line_break],
    )
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=40,
        help_text=_("So that the shop can call you about your request."),
    )
    street_address = forms.CharField(
        label=_("Street and number"), max_length=160, required=False, validators=[no_line_break]
    )
    postcode = forms.CharField(
        label=_("Postcode"), max_length=10, required=False, validators=[no_line_break]
    )
    town = forms.CharField(
        label=_("Town"), max_length=80, required=False, validators=[no_line_break]
    )
    consent = forms.BooleanField(
        label=_("I agree that my details are passed on to these shops to handle my request."),
        error_messages={"required": _("Tick the box to send your request.")},
    )

    def __init__(self, *args, groups=(), today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.groups = list(groups)
        # Other ways to get the goods, added by their apps' hooks: a shop's own (the town's
        # courier: `checkout_modes`) and the checkout's as a whole (collection points:
        # `extend_checkout_form`), each with its fields, checks and templates.
        self.mode_fields = {}
        self.extensions = []
        for group in self.groups:
            shop = group.shop
            choices = []
            if shop.offers_pickup:
                choices.append((Fulfilment.PICKUP, Fulfilment.PICKUP.label))
            if shop.offers_delivery:
                choices.append((Fulfilment.DELIVERY, Fulfilment.DELIVERY.label))
            self.mode_fields[shop.pk] = [
                name for mode in checkout_modes() for name in mode.add_fields(self, group, choices)
            ]
            self.fields[self.shop_field(shop, "fulfilment")] = forms.ChoiceField(
                label=_("How do you want to get your products?"),
                choices=choices,
                widget=forms.RadioSelect,
                initial=choices[0][0] if len(choices) == 1 else None,
                error_messages={"required": _("Choose pick-up in the shop or home delivery.")},
            )
            self.fields[self.shop_field(shop, "preferred_date")] = forms.DateField(
                label=_("Preferred pick-up day (optional)"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
                error_messages={"invalid": _("Enter a date such as 24/12/2026.")},
            )
            self.fields[self.shop_field(shop, "message")] = forms.CharField(
                label=_("Message to %(shop)s (optional)") % {"shop": shop.title},
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        for extend in hooks.get_hooks("extend_checkout_form"):
            extend(self)

    @staticmethod
    def shop_field(shop, name):
        return f"shop_{shop.pk}_{name}"

    def shop_sections(self):
        """[(group, fulfilment field, preferred day field, message field, other modes' fields)]
        for the template."""
        return [
            (
                group,
                self[self.shop_field(group.shop, "fulfilment")],
                self[self.shop_field(group.shop, "preferred_date")],
                self[self.shop_field(group.shop, "message")],
                [self[name] for name in self.mode_fields[group.shop.pk]],
            )
            for group in self.groups
        ]

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not PHONE.match(phone):
            raise ValidationError(_("Enter a phone number such as 065 22 00 00."))
        return phone

    def clean_postcode(self):
        return self.cleaned_data["postcode"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        delivering, at_home = [], False
        for group in self.groups:
            shop = group.shop
            if shop.requests_paused(self.today):
                raise ValidationError(group.problems[0])
            fulfilment = cleaned.get(self.shop_field(shop, "fulfilment"))
            if fulfilment == Fulfilment.DELIVERY:
                delivering.append(shop)
            at_home = at_home or fulfilment in AT_HOME
            self._check_preferred_day(shop, fulfilment)
            for mode in checkout_modes():
                mode.clean(self, shop, fulfilment)
        if at_home:
            self._check_delivery(cleaned, delivering)
        for check in hooks.get_hooks("clean_checkout_form"):
            check(self)
        return cleaned

    def _check_preferred_day(self, shop, fulfilment):
        name = self.shop_field(shop, "preferred_date")
        day = self.cleaned_data.get(name)
        if day is None:
            return
        if fulfilment != Fulfilment.PICKUP:
            self.cleaned_data[name] = None
            return
        if day < self.today:
            self.add_error(name, _("Choose today or a later day."))
        elif day > self.today + timedelta(days=PREFERRED_DAY_HORIZON):
            self.add_error(name, _("Choose a day within the next 30 days."))
        elif not shop.is_open_on(day):
            self.add_error(
                name,
                _("%(shop)s is closed on %(day)s. Choose a day when it is open.")
                % {"shop": shop.title, "day": date_format(day, "l j F")},
            )

    def _check_delivery(self, cleaned, delivering):
        for field in ("street_address", "postcode", "town"):
            if not cleaned.get(field):
                self.add_error(field, _("Enter your address for the delivery."))
        postcode = cleaned.get("postcode")
        if not postcode:
            return
        for shop in delivering:
            if not shop.delivers_to(postcode):
                self.add_error(
                    self.shop_field(shop, "fulfilment"),
                    _(
                        "%(shop)s does not deliver to postcode %(postcode)s (only to "
                        "%(codes)s). Choose pick-up in the shop."
                    )
                    % {
                        "shop": shop.title,
                        "postcode": postcode,
                        "codes": ", ".join(shop.delivery_postcode_list),
                    },
                )

    def to_session(self):
        """The cleaned answers as JSON-friendly values, for the 'check your request' step."""
        return {
            key: value.isoformat() if hasattr(value, "isoformat") else value
            for key, value in self.cleaned_data.items()
            if key != "website"
        }
