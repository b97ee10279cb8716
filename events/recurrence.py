"""When an event happens: its dates as python-dateutil's rules give them, on the town's wall
clock. "Every Saturday 8:00–13:00" stays 8:00–13:00 on both sides of a change of time: each
occurrence is worked out as a local date and time, then placed in the site's time zone."""

import heapq
from datetime import datetime
from typing import NamedTuple

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, rrule, rruleset
from django.utils import timezone

FREQUENCIES = {"daily": DAILY, "weekly": WEEKLY, "monthly": MONTHLY}


class Occurrence(NamedTuple):
    event: object
    start: datetime  # aware, in the site's time zone
    end: datetime

    @property
    def is_multi_day(self):
        return self.start.date() != self.end.date()


def first_start(event):
    """The first occurrence's start on the wall clock (naive)."""
    return datetime.combine(event.start_date, event.start_time)


def span(event):
    """How long each occurrence lasts on the wall clock: 8:00–13:00 is five hours on the day
    the clocks change too."""
    end = datetime.combine(event.end_date or event.start_date, event.end_time)
    return end - first_start(event)


def local_starts(event):
    """The wall-clock starts of every occurrence, exceptions left out, as a dateutil rule
    set (or the one start of an event that does not repeat)."""
    if not event.repeat:
        return [first_start(event)]
    until = datetime.combine(event.repeat_until, event.start_time) if event.repeat_until else None
    starts = rruleset()
    starts.rrule(rrule(FREQUENCIES[event.repeat], dtstart=first_start(event), until=until))
    for exception in event.exceptions.all():
        starts.exdate(datetime.combine(exception.date, event.start_time))
    return starts


def occurrences(event, after):
    """The occurrences of `event` that end after `after` (aware), in order; endless for an
    event that repeats without an end."""
    length = span(event)
    zone = timezone.get_default_timezone()
    local_after = timezone.localtime(after, zone).replace(tzinfo=None)
    starts = local_starts(event)
    if isinstance(starts, rruleset):
        # Any occurrence that has not ended started less than `length` before `after`.
        starts = starts.xafter(local_after - length, inc=True)
    for start in starts:
        occurrence = Occurrence(
            event, timezone.make_aware(start, zone), timezone.make_aware(start + length, zone)
        )
        if occurrence.end > after:
            yield occurrence


def upcoming(events, now, until):
    """Every occurrence of `events` not ended at `now` and starting before `until`, by start."""
    merged = heapq.merge(
        *(occurrences(event, now) for event in events), key=lambda item: (item.start, item.end)
    )
    for occurrence in merged:
        if occurrence.start >= until:
            return
        yield occurrence


def next_occurrences(events, now):
    """The next occurrence of each event that has one, soonest first."""
    found = (next(occurrences(event, now), None) for event in events)
    return sorted(filter(None, found), key=lambda item: (item.start, item.event.title))


def next_change(shown):
    """When a list of occurrences changes by itself: the first of them to end."""
    return min((occurrence.end for occurrence in shown), default=None)
