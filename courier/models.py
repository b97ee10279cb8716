"""The town's courier: a cargo-bike co-operative, the town's own service or a shop's driver,
to which the city dispatches the deliveries of the shops it serves, in its delivery windows.

A request delivered by the courier has one `Stop` (its drop-off). The pick-ups of a round
are the shops of its stops: nothing of theirs is stored but their requests' statuses.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from home.money import format_money
from merchants.hours import instant
from merchants.models import AwayPayment, parse_postcodes, validate_postcodes
from orders.models import OrderRequest, Status

# Requests that no longer take a place in a window.
GONE = (Status.DECLINED, Status.CANCELLED, Status.EXPIRED)


class CourierKind(models.TextChoices):
    COOPERATIVE = "cooperative", _("A delivery co-operative")
    TOWN = "town", _("The town's own service")
    SHOP_DRIVER = "shop_driver", _("A shop's own driver")


class Courier(ClusterableModel):
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=12, choices=CourierKind.choices, default=CourierKind.COOPERATIVE
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(
        _("e-mail"), help_text=_("Where the round sheet's link is sent each morning.")
    )
    fee = models.DecimalField(
        _("fee for a delivery (EUR)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("The courier's: the resident pays it, outside the city's commission."),
    )
    postcodes = models.CharField(
        _("delivery zones (postcodes)"),
        max_length=300,
        validators=[validate_postcodes],
        help_text=_("Separated by commas, such as 7000, 7011."),
    )
    shops = models.ManyToManyField(
        "merchants.MerchantPage",
        verbose_name=_("shops it serves"),
        blank=True,
        related_name="couriers",
        help_text=_("Only shops that offer delivery by the town's courier offer it at checkout."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        blank=True,
        related_name="couriers",
        help_text=_("The users who log in as this courier to read its round sheet."),
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("phone"), FieldPanel("email")])], heading=_("Contact")
        ),
        FieldPanel("fee"),
        FieldPanel("postcodes"),
        FieldPanel("shops"),
        FieldPanel("members"),
        InlinePanel("windows", heading=_("Delivery windows"), label=_("window")),
    ]

    class Meta:
        verbose_name = _("courier")
        verbose_name_plural = _("couriers")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(fee__gte=0), name="courier_fee_not_negative"),
        ]

    def __str__(self):
        return self.name

    @property
    def postcode_list(self):
        return parse_postcodes(self.postcodes)

    def serves(self, postcode):
        return (postcode or "").strip().upper() in {code.upper() for code in self.postcode_list}


class DeliveryWindow(models.Model):
    """A weekly window the courier delivers in, such as "Tuesday 17:00–19:00", and how many
    deliveries it takes."""

    courier = ParentalKey(Courier, on_delete=models.CASCADE, related_name="windows")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=sorted(WEEKDAYS.items()))
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    capacity = models.PositiveIntegerField(
        _("deliveries in the window"), validators=[MinValueValidator(1)]
    )

    panels = [
        FieldRowPanel(
            [
                FieldPanel("weekday"),
                FieldPanel("starts"),
                FieldPanel("ends"),
                FieldPanel("capacity"),
            ]
        )
    ]

    class Meta:
        verbose_name = _("delivery window")
        verbose_name_plural = _("delivery windows")
        ordering = ["weekday", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=F("starts")), name="delivery_window_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="delivery_window_capacity_positive"
            ),
        ]

    def __str__(self):
        return f"{WEEKDAYS[self.weekday]} {self.starts:%H:%M}–{self.ends:%H:%M}"

    def on(self, day):
        """(start, end) of the window on `day`, aware, as the clock reads that day."""
        return instant(datetime.combine(day, self.starts)), instant(
            datetime.combine(day, self.ends)
        )


class StopState(models.TextChoices):
    PLANNED = "planned", _("To deliver")
    DONE = "done", _("Delivered")
    FAILED = "failed", _("Failed")


class StopQuerySet(models.QuerySet):
    def taking_a_place(self):
        return self.exclude(request__status__in=GONE)

    def for_sheet(self):
        """In the round's order: the postcodes, then the courier's own order, then arrival."""
        return self.order_by("starts_at", "request__postcode", "position", "pk")


class Stop(models.Model):
    """The drop-off of one request delivered by the courier, in one window of one day.

    The courier's fee is kept in the request's `delivery_fee`: outside the commission's base
    (OrderRequest.commission_base counts the goods only), and in what the resident pays."""

    request = models.OneToOneField(
        OrderRequest, on_delete=models.CASCADE, related_name="courier_stop"
    )
    courier = models.ForeignKey(
        Courier, on_delete=models.PROTECT, related_name="stops", verbose_name=_("courier")
    )
    # Kept when the city edits the courier's windows: the stop has its own times.
    window = models.ForeignKey(
        DeliveryWindow, on_delete=models.SET_NULL, null=True, blank=True, related_name="stops"
    )
    starts_at = models.DateTimeField(_("window starts"), db_index=True)
    ends_at = models.DateTimeField(_("window ends"))
    position = models.PositiveIntegerField(_("position"), default=0)
    notes = models.CharField(_("notes for the courier"), max_length=300, blank=True)
    state = models.CharField(
        _("state"), max_length=8, choices=StopState.choices, default=StopState.PLANNED
    )
    failure_reason = models.CharField(_("why it failed"), max_length=300, blank=True)
    done_at = models.DateTimeField(_("done on"), null=True, blank=True)

    objects = StopQuerySet.as_manager()

    class Meta:
        verbose_name = _("courier stop")
        verbose_name_plural = _("courier stops")

    def __str__(self):
        # No personal data: logs print this.
        return self.request.reference

    @property
    def window_label(self):
        return window_label(self.starts_at, self.ends_at)

    @property
    def goods_paid_beforehand(self):
        return self.request.shop.courier_payment == AwayPayment.BEFOREHAND

    @property
    def to_collect(self):
        """What the courier takes at the door: the goods for the shop (unless the resident paid
        the shop beforehand) and its own fee. The round sheet shows this, not the lines."""
        order = self.request
        goods = 0 if self.goods_paid_beforehand else order.items_total
        return goods + order.delivery_fee

    def for_resident(self):
        """When, by whom, and what to pay to whom: the resident's status page."""
        order = self.request
        return [
            delivered_in(self.courier, self.window_label),
            payment_note(order.shop, self.courier, order.items_total, order.delivery_fee),
        ]


def window_label(starts_at, ends_at):
    """ "Tuesday 8 December, 17:00–19:00", in the active language."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    return f"{date_format(start, 'l j F')}, {start:%H:%M}–{end:%H:%M}"


HORIZON = timedelta(days=14)


def payment_note(shop, courier, items, fee):
    """What the resident pays, and to whom, for a request the courier delivers."""
    values = {
        "shop": shop.title,
        "courier": courier.name,
        "items": format_money(items),
        "fee": format_money(fee),
        "total": format_money(items + fee),
        "instructions": shop.prepayment_instructions.strip(),
    }
    if shop.courier_payment == AwayPayment.BEFOREHAND:
        return (
            gettext(
                "Pay %(items)s to %(shop)s beforehand: %(instructions)s Pay the courier's fee, "
                "%(fee)s, to %(courier)s on delivery."
            )
            % values
        )
    return (
        gettext(
            "Pay %(total)s to %(courier)s on delivery: %(items)s for %(shop)s and the "
            "courier's fee, %(fee)s."
        )
        % values
    )


def delivered_in(courier, label):
    return gettext("Delivered by %(courier)s, %(window)s.") % {
        "courier": courier.name,
        "window": label,
    }
