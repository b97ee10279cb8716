from django import template
from django.utils import timezone

from home import page_cache
from home.structured_data import json_ld_script

from .. import recurrence
from ..models import EventIndexPage, EventPage
from ..structured_data import event_data

register = template.Library()

COMING_EVENTS = 4


def _next_occurrences(events):
    """The next occurrence of each of `events`, soonest first."""
    now = timezone.now()
    return recurrence.next_occurrences(events.not_over(timezone.localdate(now)), now)


@register.simple_tag
def coming_events(limit=COMING_EVENTS):
    """The next occurrence of the soonest events of the town, and the calendar's page."""
    shown = _next_occurrences(EventPage.objects.shown())[:limit]
    # Kept until the first of them ends: the event's next date, or another event, follows.
    page_cache.expires_at(recurrence.next_change(shown))
    index = EventIndexPage.objects.live().public().first() if shown else None
    return {"occurrences": shown, "index": index}


@register.simple_tag
def shop_events(shop):
    """The next occurrence of each event the shop takes part in."""
    if shop.pk is None:  # the preview of a shop not saved yet
        return []
    events = EventPage.objects.shown().filter(shops__shop=shop).distinct()
    shown = _next_occurrences(events)
    page_cache.expires_at(recurrence.next_change(shown))
    return shown


@register.simple_tag(takes_context=True)
def event_json_ld(context, event, occurrence=None):
    return json_ld_script(event_data(context["request"], event, occurrence))
