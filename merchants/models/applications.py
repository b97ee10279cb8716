"""A shopkeeper's application to join the portal (decided in merchants/applications.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .shops import MerchantPage
from .taxonomy import ShopCategory


class MerchantApplication(models.Model):
    """A shopkeeper asks to join the portal; a city editor approves (the shop page, the
    merchant's account and access are created) or declines it, with a reason."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To review")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    shop_name = models.CharField(_("name of the shop"), max_length=120)
    contact_name = models.CharField(_("contact person"), max_length=120)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40)
    street_address = models.CharField(_("street and number"), max_length=160)
    postcode = models.CharField(_("postcode"), max_length=10)
    town = models.CharField(_("town"), max_length=80)
    categories = models.ManyToManyField(
        ShopCategory, verbose_name=_("categories"), related_name="+", blank=True
    )
    offers_pickup = models.BooleanField(_("pick-up in the shop"), default=True)
    offers_delivery = models.BooleanField(_("home delivery"), default=False)
    message = models.TextField(_("message to the city"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    shop = models.ForeignKey(
        MerchantPage,
        verbose_name=_("shop"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("received on"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)

    class Meta:
        verbose_name = _("shop application")
        verbose_name_plural = _("shop applications")
        ordering = ["-created_at"]

    def __str__(self):
        # The shop's name only: bulk-action pages and logs print this.
        return f"#{self.pk} · {self.shop_name}"
