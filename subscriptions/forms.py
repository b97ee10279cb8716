from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from home.forms import HoneypotMixin
from merchants.models import MerchantPage, ShopCategory
from products.models import Availability, Product

from .models import Subscription

Kind = Subscription.Kind


def consent_text(kind, target=None):
    """The wording the follow form shows next to its button, stored with the subscription."""
    if kind == Kind.BACK_IN_STOCK:
        text = gettext(
            "One e-mail when %(name)s is back in stock, then nothing more. We first send you "
            "a link to confirm; nothing is sent before."
        )
    elif kind == Kind.TOWN_NEWS:
        text = gettext(
            "The town's news by e-mail. We first send you a link to confirm; nothing is sent "
            "before. Every e-mail has a link to stop."
        )
    else:
        text = gettext(
            "At most one e-mail a week with the new products and those back in stock of "
            "%(name)s. We first send you a link to confirm; nothing is sent before. Every "
            "e-mail has a link to stop."
        )
    return text % {"name": str(target)} if target is not None else text


class FollowForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address such as name@example.org."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    kind = forms.ChoiceField(choices=Kind.choices, widget=forms.HiddenInput)
    target = forms.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput
    )

    def clean_email(self):
        # One subscriber per mailbox, however its address is capitalised.
        return self.cleaned_data["email"].lower()

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind is None or "target" not in cleaned:
            raise forms.ValidationError(_("This can no longer be followed."))
        cleaned["target_object"] = target = self.find_target(kind, cleaned["target"])
        if target is None and kind != Kind.TOWN_NEWS:
            raise forms.ValidationError(_("This can no longer be followed."))
        if kind == Kind.BACK_IN_STOCK and target.availability != Availability.OUT_OF_STOCK:
            raise forms.ValidationError(_("This product is available: no need to wait for it."))
        return cleaned

    @staticmethod
    def find_target(kind, pk):
        if kind == Kind.TOWN_NEWS or pk is None:
            return None
        queryset = {
            Kind.SHOP: MerchantPage.objects.live().public(),
            Kind.CATEGORY: ShopCategory.objects.all(),
            Kind.BACK_IN_STOCK: Product.objects.visible(),
        }[kind]
        return queryset.filter(pk=pk).first()

    def consent_text(self):
        return consent_text(self.cleaned_data["kind"], self.cleaned_data["target_object"])
