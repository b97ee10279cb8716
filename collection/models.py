"""Collection points: a place open late (a café, the town hall's reception) where a
resident collects what several shops prepared. The city defines them; their opening hours
follow the shops' rules (merchants/hours.py)."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from merchants.hours import opening_intervals, shop_status, wall_of
from merchants.models import ClosureDates, HoursAndClosures, Place, WeeklyHours
from orders.models import new_reference


class CollectionPoint(HoursAndClosures, Place, ClusterableModel):
    name = models.CharField(_("name"), max_length=120)
    instructions = models.TextField(
        _("instructions"), blank=True, help_text=_("Where to go and what to bring, for residents.")
    )
    capacity_per_day = models.PositiveIntegerField(
        _("collections per day"), validators=[MinValueValidator(1)]
    )
    shops = models.ManyToManyField(
        "merchants.MerchantPage",
        verbose_name=_("shops that may use it"),
        blank=True,
        related_name="collection_points",
        help_text=_("None chosen: every shop may use it."),
    )
    paused_until = models.DateField(
        _("paused until (inclusive)"),
        null=True,
        blank=True,
        help_text=_("The point takes no collections until then."),
    )
    pause_reason = models.CharField(_("reason shown to residents"), max_length=120, blank=True)
    keeping_days = models.PositiveSmallIntegerField(
        _("keeping period (days)"),
        default=7,
        validators=[MinValueValidator(1)],
        help_text=_("How long the point keeps a collection before it may mark it not collected."),
    )

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("town")]),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Address"),
        ),
        FieldPanel("instructions"),
        FieldRowPanel([FieldPanel("capacity_per_day"), FieldPanel("keeping_days")]),
        FieldPanel("shops"),
        FieldRowPanel([FieldPanel("paused_until"), FieldPanel("pause_reason")]),
        InlinePanel("opening_hours", heading=_("Weekly opening hours"), label=_("opening")),
        InlinePanel("closures", heading=_("Exceptional closures"), label=_("closure")),
        InlinePanel("staff", heading=_("Staff"), label=_("staff member")),
    ]

    class Meta:
        verbose_name = _("collection point")
        verbose_name_plural = _("collection points")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity_per_day__gte=1), name="collection_point_capacity_positive"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": _("Give both latitude and longitude, or neither.")})

    def status(self, now=None):
        return shop_status(*self.hours_and_closures(), now)

    def is_paused(self, day=None):
        day = day or timezone.localdate()
        return self.paused_until is not None and day <= self.paused_until

    def is_open_on(self, day):
        """Whether the point opens at all on `day`: its hours as the clock runs that day (a
        range inside the hour the spring night skips never opens), less its closures."""
        return any(
            wall_of(start).date() == day
            for start, _end in opening_intervals(*self.hours_and_closures(), day, days=0)
        )

    def accepts(self, shop, day=None):
        """Whether `shop` may send collections here on `day` (today by default)."""
        if self.is_paused(day):
            return False
        return self.admits(shop)

    def admits(self, shop):
        """Whether `shop` is among the point's shops (all of them when none is chosen)."""
        chosen = {chosen.pk for chosen in self.shops.all()}  # read once when prefetched
        return not chosen or shop.pk in chosen

    def collections_by_day(self, first, last):
        """{day: collections expected that day} from `first` to `last`, in one query:
        what `capacity_per_day` counts (a collection whose shops all dropped out frees
        its place)."""
        counted = (
            self.pickups.filter(day__range=(first, last))
            .exclude(state=PickupState.DROPPED)
            .values_list("day")
            .annotate(count=Count("pk"))
        )
        return dict(counted)

    def is_full_on(self, day):
        return self.collections_by_day(day, day).get(day, 0) >= self.capacity_per_day


class CollectionPointHours(WeeklyHours):
    point = ParentalKey(CollectionPoint, on_delete=models.CASCADE, related_name="opening_hours")

    class Meta(WeeklyHours.Meta):
        constraints = [
            models.CheckConstraint(
                condition=~Q(opens=F("closes")), name="collection_point_hours_not_empty"
            ),
        ]


class CollectionPointClosure(ClosureDates):
    point = ParentalKey(CollectionPoint, on_delete=models.CASCADE, related_name="closures")

    class Meta(ClosureDates.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="collection_point_closure_ends_after_it_starts",
            ),
        ]


class PointStaff(models.Model):
    """A person who works at a point: sees its day's collections in the admin and hands
    them over. The ownership rule (merchants/ownership.py, `staffed_point_ids`) reads these."""

    point = ParentalKey(CollectionPoint, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="point_memberships",
    )

    panels = [FieldPanel("user")]

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        constraints = [
            models.UniqueConstraint(fields=["point", "user"], name="one_staff_row_per_point_user")
        ]

    def __str__(self):
        return f"#{self.pk} · {self.point.name}"


class PickupState(models.TextChoices):
    EXPECTED = "expected", _("Expected")
    READY = "ready", _("Ready")
    HANDED_OVER = "handed_over", _("Handed over")
    NOT_COLLECTED = "not_collected", _("Not collected")
    # Every shop dropped out: the point expects nothing.
    DROPPED = "dropped", _("Nothing left to collect")


class GroupedPickup(models.Model):
    """What one checkout's resident collects at one point on one day: one reference for
    the several shops' parcels. Names and phone stay on the requests (orders.privacy
    anonymises them there)."""

    checkout = models.OneToOneField(
        "orders.Checkout", on_delete=models.CASCADE, related_name="grouped_pickup"
    )
    point = models.ForeignKey(
        CollectionPoint,
        on_delete=models.PROTECT,
        related_name="pickups",
        verbose_name=_("collection point"),
    )
    day = models.DateField(_("collection day"), db_index=True)
    reference = models.CharField(
        _("collection reference"), max_length=12, unique=True, default=new_reference
    )
    state = models.CharField(
        _("state"), max_length=16, choices=PickupState.choices, default=PickupState.EXPECTED
    )
    created_at = models.DateTimeField(_("sent on"), auto_now_add=True)
    ready_at = models.DateTimeField(_("ready on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("handed over or given up on"), null=True, blank=True)

    class Meta:
        verbose_name = _("grouped pick-up")
        verbose_name_plural = _("grouped pick-ups")
        ordering = ["day", "reference"]

    def __str__(self):
        return self.reference

    def may_be_given_up(self, today=None):
        """Whether the point's keeping period has passed since the collection day."""
        today = today or timezone.localdate()
        return self.state == PickupState.READY and today > self.day + timedelta(
            days=self.point.keeping_days
        )


class Parcel(models.Model):
    """One shop's part of a grouped pick-up: its order request."""

    pickup = models.ForeignKey(GroupedPickup, on_delete=models.CASCADE, related_name="parcels")
    request = models.OneToOneField(
        "orders.OrderRequest", on_delete=models.CASCADE, related_name="parcel"
    )
    received_at = models.DateTimeField(_("received from the shop on"), null=True, blank=True)

    class Meta:
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")
        ordering = ["request__shop__title", "pk"]

    def __str__(self):
        return f"{self.pickup.reference} · {self.request.reference}"
