"""The town's calendar: markets and events the city publishes.

Page types, not snippets: an event has its own public address (shared, found by search
engines, with its schema.org Event), and as a page it gets Wagtail's preview, drafts,
scheduled publishing, revisions and the page cache's purge on publish for free. Pages also
keep it the city's: merchants hold page permissions on their own shop page only, so they
can neither add nor edit an event (merchants/roles.py, merchants/access.py).
"""

import itertools
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from home import page_cache
from home.admin_forms import PortalPageForm
from home.models import FeaturedShop, FoundBySearch
from home.pages import PortalPageManager, PublicInTheSameQuery, ViewRestrictionsInOneQuery

from . import recurrence
from .forms import EventPageForm

# The calendar lists the occurrences of the next six months, this many a page.
HORIZON = timedelta(days=183)
PER_PAGE = 20
# An event's page lists its next dates, at most this many.
NEXT_DATES = 12
EVERY_WEEKDAY = [
    _("Every Monday"),
    _("Every Tuesday"),
    _("Every Wednesday"),
    _("Every Thursday"),
    _("Every Friday"),
    _("Every Saturday"),
    _("Every Sunday"),
]
# An occurrence of several days that repeats (a fair every month) may still run this long
# after the day its rule ends.
LONGEST_SPAN = timedelta(days=31)


class EventQuerySet(PublicInTheSameQuery):
    def shown(self):
        """Live public events, with what a listing of them shows."""
        return self.live().public().select_related("banner").prefetch_related("exceptions")

    def not_over(self, today):
        """Events that may still have an occurrence from `today` on (the exact rule is
        recurrence.occurrences')."""
        once = Q(repeat="") & Q(last_day__gte=today)
        repeating = ~Q(repeat="") & (
            Q(repeat_until__isnull=True) | Q(repeat_until__gte=today - LONGEST_SPAN)
        )
        return self.alias(last_day=Coalesce("end_date", "start_date")).filter(once | repeating)


EventPageManager = PageManager.from_queryset(EventQuerySet)


class EventIndexPage(ViewRestrictionsInOneQuery, Page):
    base_form_class = PortalPageForm
    intro = models.TextField(_("introduction"), max_length=500, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    objects = PortalPageManager()

    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count = 1

    class Meta:
        verbose_name = _("calendar")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        horizon = now + HORIZON
        events = EventPage.objects.shown().child_of(self).not_over(timezone.localdate(now))
        listed = list(recurrence.upcoming(events, now, horizon))
        # The list moves up as soon as its first occurrence ends.
        page_cache.expires_at(recurrence.next_change(listed))
        paginator = Paginator(listed, PER_PAGE)
        context["occurrences"] = paginator.get_page(request.GET.get("page"))
        return context


class EventPage(ViewRestrictionsInOneQuery, FoundBySearch, Page):
    base_form_class = EventPageForm

    class Repeat(models.TextChoices):
        ONCE = "", _("Does not repeat")
        DAILY = "daily", _("Every day")
        WEEKLY = "weekly", _("Every week, on the same day")
        MONTHLY = "monthly", _("Every month, on the same date")

    intro = models.TextField(
        _("summary"), max_length=300, blank=True, help_text=_("One or two sentences.")
    )
    body = RichTextField(
        _("description"), features=["bold", "italic", "link", "ol", "ul"], blank=True
    )
    banner = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    banner_alt = models.CharField(
        _("alternative text"),
        max_length=200,
        blank=True,
        help_text=_("What the photo shows, for people who cannot see it."),
    )

    start_date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    end_date = models.DateField(
        _("last day"),
        null=True,
        blank=True,
        help_text=_("Only for an event over several days."),
    )
    repeat = models.CharField(
        _("repeats"), max_length=10, choices=Repeat.choices, default=Repeat.ONCE, blank=True
    )
    repeat_until = models.DateField(
        _("repeats until (inclusive)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to repeat with no end."),
    )

    place = models.CharField(_("place"), max_length=160, help_text=_("Such as: Grand-Place."))
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    objects = EventPageManager()

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")]),
                FieldRowPanel([FieldPanel("repeat"), FieldPanel("repeat_until")]),
                InlinePanel(
                    "exceptions",
                    heading=_("Dates when it does not take place"),
                    label=_("date"),
                ),
            ],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("place"),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Where"),
        ),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("banner"), FieldPanel("banner_alt")], heading=_("Photo")),
        InlinePanel("shops", heading=_("Taking-part shops"), label=_("shop")),
    ]

    served_with = ("banner",)

    searchable_fields = ("title", "intro", "body", "place")
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("search_text"),
    ]

    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("event")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="event_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(repeat_until__isnull=True) | ~Q(repeat=""),
                name="event_repeats_until_only_if_it_repeats",
            ),
        ]

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_time and self.start_time:
            if self.end_date and self.end_date < self.start_date:
                errors["end_date"] = _("The last day cannot be before the first.")
            elif recurrence.span(self) <= timedelta(0):
                errors["end_time"] = _("The event must end after it starts.")
        if self.repeat_until and not self.repeat:
            errors["repeat_until"] = _("Choose how the event repeats, or leave this empty.")
        elif self.repeat_until and self.start_date and self.repeat_until < self.start_date:
            errors["repeat_until"] = _("The repetition cannot end before the first date.")
        if errors:
            raise ValidationError(errors)

    def repeat_text(self):
        """ "Every Saturday", "Every day"…, or "" for an event that does not repeat."""
        if self.repeat == self.Repeat.WEEKLY:
            return EVERY_WEEKDAY[self.start_date.weekday()]
        if self.repeat == self.Repeat.MONTHLY:
            return gettext("Every month on the %(day)s") % {"day": self.start_date.day}
        if self.repeat == self.Repeat.DAILY:
            return gettext("Every day")
        return ""

    def next_occurrence(self, now=None):
        return next(recurrence.occurrences(self, now or timezone.now()), None)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        upcoming = list(itertools.islice(recurrence.occurrences(self, now), NEXT_DATES))
        page_cache.expires_at(recurrence.next_change(upcoming))
        context.update(
            upcoming=upcoming,
            next_occurrence=upcoming[0] if upcoming else None,
            shops=[row.shop for row in self.shops.select_related("shop") if row.shop.live],
        )
        return context


class EventException(Orderable):
    """A date when a repeating event does not take place (a market cancelled on a holiday)."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField(_("date"))

    panels = [FieldPanel("date")]

    class Meta(Orderable.Meta):
        verbose_name = _("date when it does not take place")


class EventShop(FeaturedShop):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="shops")
