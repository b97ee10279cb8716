from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from home.pages import ViewRestrictionsInOneQuery

from .numbers import portal_numbers


class Event(models.TextChoices):
    """What is counted on shop and product pages: a view, and the signs of a visit to come."""

    VIEW = "view", _("Page views")
    CALL = "call", _("Calls")
    DIRECTIONS = "directions", _("Directions")
    WEBSITE = "website", _("Website visits")
    SOCIAL = "social", _("Facebook or Instagram")
    SHARE = "share", _("Shares")


# The clicks that announce a visit to the shop ("visit intents").
INTENTS = [Event.CALL, Event.DIRECTIONS, Event.WEBSITE, Event.SOCIAL, Event.SHARE]


class DailyCountQuerySet(models.QuerySet):
    def compared(self, now, before):
        """Views and visit intents in two periods (Q filters on `day`):
        {views_now, views_before, intents_now, intents_before}, 0 where there are none."""
        totals = self.aggregate(
            views_now=Sum("count", filter=now & Q(event=Event.VIEW)),
            views_before=Sum("count", filter=before & Q(event=Event.VIEW)),
            intents_now=Sum("count", filter=now & Q(event__in=INTENTS)),
            intents_before=Sum("count", filter=before & Q(event__in=INTENTS)),
        )
        return {key: value or 0 for key, value in totals.items()}


class DailyCount(models.Model):
    """How many times something happened on a shop's page (product None) or one of its
    product pages on one day. No person, no cookie: only these totals are kept."""

    day = models.DateField(_("day"))
    event = models.CharField(_("event"), max_length=12, choices=Event.choices)
    shop = models.ForeignKey(
        "merchants.MerchantPage", verbose_name=_("shop"), on_delete=models.CASCADE, related_name="+"
    )
    product = models.ForeignKey(
        "products.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    count = models.PositiveIntegerField(_("count"), default=0)

    objects = DailyCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "event", "shop"],
                condition=Q(product__isnull=True),
                name="daily_count_unique_for_shop",
            ),
            models.UniqueConstraint(
                fields=["day", "event", "shop", "product"],
                condition=Q(product__isnull=False),
                name="daily_count_unique_for_product",
            ),
        ]
        indexes = [models.Index(fields=["shop", "day"]), models.Index(fields=["day", "event"])]

    def __str__(self):
        return f"{self.day} {self.event} {self.count}"


class NudgeKind(models.TextChoices):
    MONTHLY_REPORT = "monthly_report", _("Monthly report")
    STALE_SHOP = "stale_shop", _("Reminder: shop not updated")
    UNANSWERED = "unanswered", _("Reminder: request unanswered")
    UNANSWERED_CITY = "unanswered_city", _("Copy to the city: request unanswered")


class Nudge(models.Model):
    """A nudge sent to a shop for a period ("2026-11" for a month, a request's reference
    for a reminder about it): the unique constraint makes it never twice."""

    shop = models.ForeignKey(
        "merchants.MerchantPage", verbose_name=_("shop"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NudgeKind.choices)
    period = models.CharField(_("period"), max_length=40)
    sent_at = models.DateTimeField(_("sent on"), auto_now_add=True)

    class Meta:
        verbose_name = _("nudge")
        verbose_name_plural = _("nudges")
        constraints = [
            models.UniqueConstraint(fields=["shop", "kind", "period"], name="nudge_once_per_period")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.period}"


class NudgeOptOut(models.Model):
    """A shop that asked (through the link in the e-mail, no log-in needed) not to
    receive one kind of nudge any more."""

    shop = models.ForeignKey(
        "merchants.MerchantPage", verbose_name=_("shop"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NudgeKind.choices)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("nudge opt-out")
        verbose_name_plural = _("nudge opt-outs")
        constraints = [
            models.UniqueConstraint(fields=["shop", "kind"], name="nudge_opt_out_unique")
        ]

    def __str__(self):
        return f"{self.shop_id} · {self.get_kind_display()}"


class NumbersPage(ViewRestrictionsInOneQuery, Page):
    """ "Le portail en chiffres": the portal's public numbers. City editors publish it, or
    unpublish it, like any page."""

    intro = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("public numbers page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["numbers"] = portal_numbers()
        return context
