"""What a shop page holds inline (its InlinePanels): photos, weekly hours, closures."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.api import APIField

from home.models import Photo

from ..hours import ClosurePeriod, HoursRange


class Place(models.Model):
    """Where residents go: a street address and, for the map, a position (a shop, a
    collection point)."""

    street_address = models.CharField(_("street and number"), max_length=160)
    postcode = models.CharField(_("postcode"), max_length=10)
    town = models.CharField(_("town"), max_length=80)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        abstract = True


class ShopGalleryImage(Photo):
    shop = ParentalKey(
        "merchants.MerchantPage", on_delete=models.CASCADE, related_name="gallery_images"
    )

    class Meta(Photo.Meta):
        verbose_name = _("photo")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WeeklyHours(models.Model):
    """One opening range of one weekday; a day may have several (9:00–12:30, 14:00–18:30).
    A shop's and a collection point's, read by the same rules (merchants/hours.py)."""

    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens at"))
    closes = models.TimeField(
        _("closes at"), help_text=_("A time earlier than the opening means after midnight.")
    )

    panels = [FieldRowPanel([FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")])]

    class Meta:
        abstract = True
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens"]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        if self.opens is not None and self.opens == self.closes:
            raise ValidationError(
                {"closes": _("The closing time must differ from the opening time.")}
            )


class OpeningHours(WeeklyHours):
    shop = ParentalKey(
        "merchants.MerchantPage", on_delete=models.CASCADE, related_name="opening_hours"
    )

    api_fields = [APIField("weekday"), APIField("opens"), APIField("closes")]

    class Meta(WeeklyHours.Meta):
        constraints = [
            models.CheckConstraint(condition=~Q(opens=F("closes")), name="opening_hours_not_empty"),
        ]
        indexes = [
            models.Index(fields=["weekday", "opens", "closes"]),
            # "Open now" asks each shop for its hours of one day: by shop first, or the
            # database reads every shop's hours of that day for each shop (the day's index).
            models.Index(fields=["shop", "weekday", "opens"], name="openinghours_shop_day"),
        ]


class ClosureDates(models.Model):
    """An exceptional closure, from one day to another: a shop's or a collection point's."""

    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (inclusive)"))
    reason = models.CharField(_("reason"), max_length=80, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldPanel("reason"),
    ]

    class Meta:
        abstract = True
        verbose_name = _("exceptional closure")
        verbose_name_plural = _("exceptional closures")
        ordering = ["starts_on"]

    def __str__(self):
        return f"{self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y} {self.reason}".strip()

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The closure must end on or after its first day.")})


class Closure(ClosureDates):
    shop = ParentalKey("merchants.MerchantPage", on_delete=models.CASCADE, related_name="closures")

    api_fields = [APIField("starts_on"), APIField("ends_on"), APIField("reason")]

    class Meta(ClosureDates.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="closure_ends_after_it_starts"
            ),
        ]


class HoursAndClosures:
    """For a model with `opening_hours` (WeeklyHours) and `closures` (ClosureDates) rows."""

    def hours_and_closures(self):
        """The weekly ranges and the closures, as merchants.hours reads them."""
        ranges = [HoursRange(h.weekday, h.opens, h.closes) for h in self.opening_hours.all()]
        closures = [ClosurePeriod(c.starts_on, c.ends_on, c.reason) for c in self.closures.all()]
        return ranges, closures
