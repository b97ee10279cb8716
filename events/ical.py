"""The calendar as iCalendar (RFC 5545), written with the icalendar package: one VEVENT per
event, its repetition as an RRULE with its EXDATEs, times on the town's wall clock
(DTSTART;TZID=Europe/Brussels) with the VTIMEZONE that defines them, so that a calendar
application shows "every Saturday 8:00–13:00" at 8:00 in summer and in winter."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.html import strip_tags
from icalendar import Calendar, Event, vRecur

from home.structured_data import absolute_url

from .recurrence import first_start, span

PRODID = "-//Portail des commerces//Agenda//FR"
RRULE_FREQUENCIES = {"daily": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY"}


def uid(request, event):
    """Stable across renames, moves and republishing: the page's id on the site's host."""
    host = absolute_url(request, "").split("://", 1)[-1]
    return f"event-{event.pk}@{host}"


def vevent(request, event):
    zone = ZoneInfo(settings.TIME_ZONE)
    start = first_start(event).replace(tzinfo=zone)
    item = Event()
    item.add("uid", uid(request, event))
    # Without a METHOD, DTSTAMP is when the event was last revised (RFC 5545, 3.8.7.2).
    item.add("dtstamp", (event.last_published_at or datetime.now(UTC)).astimezone(UTC))
    item.add("summary", event.title)
    item.add("dtstart", start)
    item.add("dtend", (first_start(event) + span(event)).replace(tzinfo=zone))
    if event.repeat:
        rule = vRecur(freq=RRULE_FREQUENCIES[event.repeat])
        if event.repeat_until:
            # With a DTSTART in a time zone, UNTIL is in UTC (RFC 5545, 3.3.10).
            until = datetime.combine(event.repeat_until, event.start_time, zone)
            rule["until"] = until.astimezone(UTC)
        item.add("rrule", rule)
        exceptions = [
            datetime.combine(exception.date, event.start_time, zone)
            for exception in event.exceptions.all()
        ]
        if exceptions:
            item.add("exdate", sorted(exceptions))
    location = ", ".join(filter(None, [event.place, event.address]))
    item.add("location", location)
    if event.latitude is not None and event.longitude is not None:
        item.add("geo", (float(event.latitude), float(event.longitude)))
    description = "\n\n".join(filter(None, [event.intro, strip_tags(event.body).strip()]))
    if description:
        item.add("description", description)
    item.add("url", event.get_full_url(request))
    return item


def calendar(request, events, name):
    """The iCalendar file of `events`, as bytes."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        cal.add_component(vevent(request, event))
    cal.add_missing_timezones()  # the VTIMEZONE of every TZID used
    return cal.to_ical()
