from django import forms
from django.utils.translation import gettext_lazy as _

from home.forms import HoneypotMixin, ModelMultipleChoiceField

from .models import MerchantApplication, ShopCategory


class ApplicationForm(HoneypotMixin, forms.ModelForm):
    categories = ModelMultipleChoiceField(
        label=_("What do you sell?"),
        queryset=ShopCategory.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the city keeps these details to review my application and "
            "contact me about it."
        ),
        error_messages={"required": _("Tick this box so that the city may contact you.")},
    )

    class Meta:
        model = MerchantApplication
        fields = [
            "shop_name",
            "contact_name",
            "email",
            "phone",
            "street_address",
            "postcode",
            "town",
            "categories",
            "offers_pickup",
            "offers_delivery",
            "message",
        ]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "shop_name": {"required": _("Enter the name of your shop.")},
            "contact_name": {"required": _("Enter your name.")},
            "email": {
                "required": _("Enter your e-mail address."),
                "invalid": _("Enter an e-mail address such as name@example.be."),
            },
            "phone": {"required": _("Enter a phone number.")},
            "street_address": {"required": _("Enter the street and number.")},
            "postcode": {"required": _("Enter the postcode.")},
            "town": {"required": _("Enter the town.")},
        }

    def clean(self):
        cleaned = super().clean()
        for name in ("shop_name", "contact_name", "email", "phone"):
            value = cleaned.get(name) or ""
            if "\r" in value or "\n" in value:  # these go into e-mail headers
                self.add_error(name, _("Write this on one line."))
        return cleaned
