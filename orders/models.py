import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# No 0/O, 1/I/L: a reference is read aloud on the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CENT = Decimal("0.01")


def new_reference():
    """Eight unguessable characters in two groups, such as K7QM-2XPD (31^8 ≈ 8.5 × 10^11)."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def new_token():
    return secrets.token_urlsafe(24)


class Checkout(models.Model):
    """One submission of a resident's request list: one request per shop hangs from it.

    Its idempotency key makes a double click, a reload or two concurrent posts create
    exactly one checkout; its status token is the private link of the confirmation e-mail.
    """

    idempotency_key = models.CharField(max_length=64, unique=True)
    status_token = models.CharField(max_length=64, unique=True, default=new_token)
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=8, default="fr")
    created_at = models.DateTimeField(_("sent on"), auto_now_add=True)

    class Meta:
        verbose_name = _("checkout")
        verbose_name_plural = _("checkouts")

    def __str__(self):
        return f"#{self.pk}"


class Fulfilment(models.TextChoices):
    PICKUP = "pickup", _("Pick-up in the shop")
    DELIVERY = "delivery", _("Home delivery")
    # With other shops' goods at a collection point the city runs (collection app).
    COLLECTION = "collection", _("Grouped pick-up at a collection point")
    # By the courier the city assigns to the shop, in one of its windows.
    COURIER = "courier", _("Delivery by the town's courier")


class Status(models.TextChoices):
    NEW = "new", _("New")
    ACCEPTED = "accepted", _("Accepted")
    READY = "ready", _("Ready for pick-up")
    OUT_FOR_DELIVERY = "out_for_delivery", _("Out for delivery")
    # The shop took the parcel to the collection point (grouped pick-up).
    AT_POINT = "at_point", _("Delivered to the collection point")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")
    NOT_COLLECTED = "not_collected", _("Not collected")
    # The courier could not deliver (a reason is recorded).
    DELIVERY_FAILED = "delivery_failed", _("Delivery failed")
    CANCELLED = "cancelled", _("Cancelled by the resident")
    # Still new after PORTAL_REQUEST_EXPIRES_AFTER_HOURS: the portal closes it (orders.expiry).
    EXPIRED = "expired", _("Expired without an answer")


class OrderRequest(models.Model):
    checkout = models.ForeignKey(
        Checkout, on_delete=models.PROTECT, related_name="requests", verbose_name=_("checkout")
    )
    shop = models.ForeignKey(
        "merchants.MerchantPage",
        on_delete=models.PROTECT,
        related_name="order_requests",
        verbose_name=_("shop"),
    )
    reference = models.CharField(_("reference"), max_length=12, unique=True, default=new_reference)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    fulfilment = models.CharField(_("fulfilment"), max_length=10, choices=Fulfilment.choices)
    preferred_date = models.DateField(_("preferred pick-up day"), null=True, blank=True)

    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40)
    street_address = models.CharField(_("street and number"), max_length=160, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    town = models.CharField(_("town"), max_length=80, blank=True)
    message = models.TextField(_("message to the shop"), blank=True)

    items_total = models.DecimalField(_("items total (EUR)"), max_digits=10, decimal_places=2)
    delivery_fee = models.DecimalField(
        _("delivery fee (EUR)"), max_digits=6, decimal_places=2, default=Decimal("0.00")
    )
    commission_rate = models.DecimalField(
        _("commission rate (%)"),
        max_digits=5,
        decimal_places=2,
        help_text=_("The rate in force when the request was sent; it applies to the goods."),
    )
    # Both set by the shop's answers (orders.transitions): accepting, completing.
    ready_at = models.DateTimeField(
        _("ready on"),
        null=True,
        blank=True,
        help_text=_("When the shop said, on accepting, that the request would be ready."),
    )
    final_amount = models.DecimalField(
        _("final amount of the goods (EUR)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("What the goods came to in the end, recorded on completion."),
    )
    created_at = models.DateTimeField(_("received on"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    class Meta:
        verbose_name = _("order request")
        verbose_name_plural = _("order requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["checkout", "shop"], name="one_request_per_shop"),
        ]

    def __str__(self):
        # No personal data: bulk-action confirmations and logs print this.
        return self.reference

    @property
    def total(self):
        return self.items_total + self.delivery_fee

    @property
    def commission_base(self):
        """The goods only: the delivery fee is the shop's, or the town's courier's (courier
        app), not the city's. Once the request is completed, what the goods came to in the end."""
        return self.items_total if self.final_amount is None else self.final_amount

    @property
    def commission(self):
        return (self.commission_base * self.commission_rate / 100).quantize(
            CENT, rounding=ROUND_HALF_UP
        )

    @property
    def is_cancellable(self):
        return self.status == Status.NEW


class OrderRequestLine(models.Model):
    request = models.ForeignKey(OrderRequest, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product"),
    )
    # As they were when the request was sent: the product may change or go.
    product_name = models.CharField(_("product"), max_length=120)
    sku = models.CharField(_("reference"), max_length=64, blank=True)
    unit_label = models.CharField(_("unit"), max_length=40, blank=True)
    unit_price = models.DecimalField(_("unit price (EUR)"), max_digits=8, decimal_places=2)
    quantity = models.PositiveSmallIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("line")
        verbose_name_plural = _("lines")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.quantity} × {self.product_name}"

    @classmethod
    def of(cls, request, product, quantity):
        """A line of `request`: the product as it is now (name, reference, unit, price),
        kept as it was even if the shop changes or deletes the product later."""
        return cls(
            request=request,
            product=product,
            product_name=product.name,
            sku=product.sku,
            unit_label=product.unit_label,
            unit_price=product.price,
            quantity=quantity,
        )

    @property
    def total(self):
        return self.unit_price * self.quantity


class StatusChange(models.Model):
    request = models.ForeignKey(OrderRequest, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("on"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.request.reference} → {self.status}"
