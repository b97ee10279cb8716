"""Who manages a shop, and what its people are given on the admin (merchants/access.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from .shops import MerchantPage


class ShopMembership(models.Model):
    """A person who manages a shop. The ownership rule (ownership.py) reads these rows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="shop_memberships",
    )
    shop = models.ForeignKey(
        MerchantPage,
        verbose_name=_("shop"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    panels = [FieldPanel("user"), FieldPanel("shop")]

    class Meta:
        verbose_name = _("shop member")
        verbose_name_plural = _("shop members")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "shop"], name="one_membership_per_user_and_shop"
            )
        ]

    def __str__(self):
        # No personal data: bulk-action confirmations print this.
        return f"#{self.pk} · {self.shop.title}"


class ShopAccess(models.Model):
    """What a shop's people are given on the admin: their own group (page permissions on the
    shop page) and their own image collection. Set up by merchants.access, never by hand."""

    shop = models.OneToOneField(
        MerchantPage, verbose_name=_("shop"), on_delete=models.CASCADE, related_name="access"
    )
    group = models.OneToOneField(
        "auth.Group", verbose_name=_("group"), on_delete=models.PROTECT, related_name="shop_access"
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("image collection"),
        on_delete=models.PROTECT,
        related_name="shop_access",
    )

    class Meta:
        verbose_name = _("shop access")
        verbose_name_plural = _("shop accesses")

    def __str__(self):
        return f"#{self.shop_id}"
