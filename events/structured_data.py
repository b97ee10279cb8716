"""What search engines read about an event: a schema.org Event (the next occurrence, and the
repetition as its eventSchedule)."""

from django.conf import settings
from django.utils import timezone

from home.models import PortalSettings
from home.structured_data import (
    SCHEMA_ORG,
    absolute_url,
    page_description,
    share_image,
    site_name,
)

from . import recurrence

REPEAT_FREQUENCIES = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M"}
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def schedule(event):
    data = {
        "@type": "Schedule",
        "repeatFrequency": REPEAT_FREQUENCIES[event.repeat],
        "startDate": event.start_date.isoformat(),
        "startTime": event.start_time.strftime("%H:%M"),
        "endTime": event.end_time.strftime("%H:%M"),
        "scheduleTimezone": settings.TIME_ZONE,
    }
    if event.repeat == "weekly":
        data["byDay"] = f"{SCHEMA_ORG}/{DAYS[event.start_date.weekday()]}"
    if event.repeat_until:
        data["endDate"] = event.repeat_until.isoformat()
    exceptions = sorted(exception.date.isoformat() for exception in event.exceptions.all())
    if exceptions:
        data["exceptDate"] = exceptions
    return data


def event_data(request, event, occurrence=None):
    """The Event of `event`'s page: at its next occurrence (or its last one, once over)."""
    occurrence = occurrence or event.next_occurrence()
    if occurrence is None:
        start = timezone.make_aware(recurrence.first_start(event))
        occurrence = recurrence.Occurrence(event, start, start + recurrence.span(event))
    url = event.get_full_url(request)
    portal_settings = PortalSettings.for_request(request)
    place = {"@type": "Place", "name": event.place, "address": event.address or event.place}
    if event.latitude is not None and event.longitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(event.latitude),
            "longitude": float(event.longitude),
        }
    data = {
        "@context": SCHEMA_ORG,
        "@type": "Event",
        "name": event.title,
        "description": page_description(event, portal_settings),
        "url": url,
        "startDate": occurrence.start.isoformat(),
        "endDate": occurrence.end.isoformat(),
        "eventStatus": f"{SCHEMA_ORG}/EventScheduled",
        "eventAttendanceMode": f"{SCHEMA_ORG}/OfflineEventAttendanceMode",
        "location": place,
        "organizer": {
            "@type": "Organization",
            "name": site_name(portal_settings),
            "url": absolute_url(request, "/"),
        },
    }
    if event.repeat:
        data["eventSchedule"] = schedule(event)
    image = share_image(event.banner, url)
    if image is not None:
        data["image"] = [image.url]
    return data
