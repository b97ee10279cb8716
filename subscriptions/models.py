"""Residents who asked to be told by e-mail: what they follow, and their consent.

No account: a subscriber is an e-mail address with a random key (the key, signed, is the
"manage my subscriptions" link of every e-mail). A subscription is stored when the form is
sent and does nothing until its confirmation link is followed (double opt-in): only the
confirmation e-mail goes out before. When a subscriber's last subscription ends, the row
goes with it: the address is forgotten (the abuse limits keep only a hash of it, in the
cache: home.forms.rate_limited).
"""

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_key():
    return secrets.token_hex(16)


class Subscriber(models.Model):
    email = models.EmailField(_("e-mail address"), unique=True)
    key = models.CharField(max_length=32, unique=True, default=new_key, editable=False)
    language = models.CharField(_("language"), max_length=15)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    digest_sent_at = models.DateTimeField(_("last digest sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self):
        return self.email

    @property
    def reference(self):
        """What the outbox's e-mails to this subscriber are found by (forget, erase)."""
        return f"subscriber-{self.key}"


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


class Subscription(models.Model):
    class Kind(models.TextChoices):
        SHOP = "shop", _("A shop")
        CATEGORY = "category", _("A category of shops")
        TOWN_NEWS = "town_news", _("The town's news")
        BACK_IN_STOCK = "back_in_stock", _("A product back in stock")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    shop = models.ForeignKey(
        "merchants.MerchantPage", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        "merchants.ShopCategory", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    product = models.ForeignKey(
        "products.Product", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The consent: when the form was sent, the wording it showed, and when the link in the
    # confirmation e-mail was followed. Nothing is sent for a subscription not confirmed.
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    consent_text = models.TextField(_("wording consented to"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", field],
                condition=Q(kind=kind),
                name=f"one_subscription_per_{kind}",
            )
            for kind, field in [
                ("shop", "shop"),
                ("category", "category"),
                ("town_news", "kind"),
                ("back_in_stock", "product"),
            ]
        ] + [
            models.CheckConstraint(
                condition=(
                    Q(kind="shop", shop__isnull=False, category=None, product=None)
                    | Q(kind="category", category__isnull=False, shop=None, product=None)
                    | Q(kind="town_news", shop=None, category=None, product=None)
                    | Q(kind="back_in_stock", product__isnull=False, shop=None, category=None)
                ),
                name="subscription_target_matches_kind",
            )
        ]

    def __str__(self):
        return str(self.target or self.get_kind_display())

    @property
    def target(self):
        return self.shop or self.category or self.product

    TARGET_FIELDS = {Kind.SHOP: "shop", Kind.CATEGORY: "category", Kind.BACK_IN_STOCK: "product"}

    @classmethod
    def target_lookup(cls, kind, target):
        """The filter naming `target` for a subscription of `kind` (none for the town's news)."""
        field = cls.TARGET_FIELDS.get(kind)
        return {field: target} if field else {}
