"""Collection points: a place open late (a café, the town hall's reception) where a
resident collects what several shops prepared. The city defines them; their opening hours
follow the shops' rules (merchants/hours.py)."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from merchants.hours import opening_intervals, shop_status, wall_of
from merchants.models import ClosureDates, HoursAndClosures, Place, WeeklyHours


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
        FieldPanel("capacity_per_day"),
        FieldPanel("shops"),
        FieldRowPanel([FieldPanel("paused_until"), FieldPanel("pause_reason")]),
        InlinePanel("opening_hours", heading=_("Weekly opening hours"), label=_("opening")),
        InlinePanel("closures", heading=_("Exceptional closures"), label=_("closure")),
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
        return not self.shops.exists() or self.shops.filter(pk=shop.pk).exists()


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
