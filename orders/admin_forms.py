"""The shop's answers to an order request in the admin: one small form per action."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from home.forms import EuroField

from . import transitions
from .models import Fulfilment

NOTE_MAX_LENGTH = 2000


def note_field(label=None, required=False, **kwargs):
    return forms.CharField(
        label=label or _("Note to the resident"),
        required=required,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        **kwargs,
    )


class NoteForm(forms.Form):
    """Ready, out for delivery, not collected: a confirmation, with an optional word."""

    note = note_field(help_text=_("Optional. The resident reads it in the e-mail."))

    def __init__(self, order, *args, **kwargs):
        self.order = order
        super().__init__(*args, **kwargs)

    def answers(self):
        return {"note": self.cleaned_data["note"]}


class AcceptForm(NoteForm):
    ready_at = forms.DateTimeField(
        label=_("Ready on"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": _("Say when the request will be ready."),
            "invalid": _("Enter a date and a time."),
        },
    )
    note = note_field(
        help_text=_("Optional: why a product is missing, what to bring… The resident reads it.")
    )

    def __init__(self, order, *args, **kwargs):
        super().__init__(order, *args, **kwargs)
        if order.fulfilment == Fulfilment.DELIVERY:
            self.fields["ready_at"].label = _("Delivered on")
        # Filled in by the shop's usual preparation time: accepting is one tap.
        self.fields["ready_at"].initial = order.shop.ready_time().replace(second=0, microsecond=0)
        self.fields["ready_at"].help_text = _(
            "Filled in with your usual preparation time (your shop's page, Services tab): "
            "change it if need be."
        )
        self.lines = list(order.lines.all())
        for line in self.lines:
            limit = _("Enter a whole number from 0 (not available) to %(quantity)s.") % {
                "quantity": line.quantity
            }
            self.fields[self.line_field(line)] = forms.IntegerField(
                label=line.product_name,
                min_value=0,
                max_value=line.quantity,
                initial=line.quantity,
                error_messages={
                    "required": limit,
                    "invalid": limit,
                    "min_value": limit,
                    "max_value": _(
                        "A quantity can go down, not up: enter a whole number from 0 to "
                        "%(quantity)s."
                    )
                    % {"quantity": line.quantity},
                },
            )
        # The lines first, as the page reads.
        self.order_fields([self.line_field(line) for line in self.lines])

    @staticmethod
    def line_field(line):
        return f"line_{line.pk}"

    def line_rows(self):
        return [(line, self[self.line_field(line)]) for line in self.lines]

    def clean_ready_at(self):
        ready_at = self.cleaned_data["ready_at"]
        if timezone.localdate(ready_at) < timezone.localdate():
            raise forms.ValidationError(_("Choose a day from today on."))
        return ready_at

    def clean(self):
        cleaned = super().clean()
        quantities = [cleaned.get(self.line_field(line)) for line in self.lines]
        if quantities and all(quantity == 0 for quantity in quantities):
            raise forms.ValidationError(
                _("Every product would be removed: decline the request instead, with a reason.")
            )
        return cleaned

    def answers(self):
        return {
            "quantities": {
                line.pk: self.cleaned_data[self.line_field(line)] for line in self.lines
            },
            "ready_at": self.cleaned_data["ready_at"],
            "note": self.cleaned_data["note"],
        }


class CompleteForm(NoteForm):
    final_amount = EuroField(
        label=_("Final amount of the goods (EUR)"),
        help_text=_(
            "What the goods came to, without the delivery fee. The commission is calculated on it."
        ),
        max_digits=10,
        required_message=_("Enter the final amount of the goods."),
        negative_message=_("The amount cannot be negative."),
    )

    def __init__(self, order, *args, **kwargs):
        super().__init__(order, *args, **kwargs)
        self.fields["final_amount"].initial = order.items_total
        self.order_fields(["final_amount"])

    def answers(self):
        return {
            "final_amount": self.cleaned_data["final_amount"],
            "note": self.cleaned_data["note"],
        }


class DeclineForm(NoteForm):
    note = None
    reason = note_field(
        label=_("Reason"),
        required=True,
        help_text=_("The resident reads it in the e-mail."),
        error_messages={"required": _("Say why you decline the request: the resident reads it.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(
                _("Say why you decline the request: the resident reads it.")
            )
        return reason

    def answers(self):
        return {"reason": self.cleaned_data["reason"]}


ACTION_FORMS = {
    transitions.ACCEPT: AcceptForm,
    transitions.READY: NoteForm,
    transitions.OUT_FOR_DELIVERY: NoteForm,
    transitions.COMPLETE: CompleteForm,
    transitions.DECLINE: DeclineForm,
    transitions.NOT_COLLECTED: NoteForm,
    transitions.AT_POINT: NoteForm,
}


def action_form(order, action, data=None):
    return ACTION_FORMS[action](order, data, prefix=action)
