from django import forms
from django.utils.translation import gettext_lazy as _

from home.admin_forms import PortalModelForm
from home.forms import HoneypotMixin, ModelMultipleChoiceField

from .models import MerchantApplication, ShopCategory
from .ownership import managed_shop_ids, shops_for_user


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


class OwnShopForm(PortalModelForm):
    """The admin form of an object that belongs to a shop: its shop is the merchant's,
    decided on the server.

    A merchant of one shop is not asked (a posted `shop` is ignored); a merchant of several
    chooses among its own shops only. City editors choose any shop."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if "shop" not in self.fields or for_user is None:
            return
        own = managed_shop_ids(for_user)
        if own is None:
            return
        if len(own) == 1 and (self.instance.shop_id is None or self.instance.shop_id in own):
            del self.fields["shop"]
            self.instance.shop_id = next(iter(own))
        else:
            self.fields["shop"].queryset = shops_for_user(for_user).order_by("title")
