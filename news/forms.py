from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from merchants.forms import OwnShopForm


class NewsItemForm(OwnShopForm):
    """A news item's shop is the merchant's, its photo one of the shop's images
    (OwnShopForm). `hidden` is the city's: its panel asks for the permission to hide, which
    only the city editors hold; ticked, it records who hid the item and when."""

    hidden = forms.BooleanField(
        label=_("Hidden by the city"),
        required=False,
        help_text=_("The item no longer shows on the site; its shop still sees it here."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "hidden" in self.fields:
            self.fields["hidden"].initial = self.instance.is_hidden

    def clean_ends_on(self):
        """A last day already past would hide the item at once; one kept as it was stays."""
        ends_on = self.cleaned_data.get("ends_on")
        if ends_on and ends_on != self.instance.ends_on and ends_on < timezone.localdate():
            raise forms.ValidationError(
                _("Choose today or a later day: the news shows until the end of that day.")
            )
        return ends_on

    def save(self, commit=True):
        item = self.instance
        if "hidden" in self.fields and self.cleaned_data["hidden"] != item.is_hidden:
            if self.cleaned_data["hidden"]:
                item.hidden_at, item.hidden_by = timezone.now(), self.for_user
            else:
                item.hidden_at = item.hidden_by = None
        return super().save(commit=commit)
