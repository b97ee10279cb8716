from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext

from home.models import PortalSettings

from . import ical
from .models import EventPage


def _ics(content, filename=None):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    if filename:  # a slug may hold accents: RFC 6266's filename* then
        response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def calendar_feed(request):
    """The town's calendar, for a calendar application to subscribe to: every event not
    over yet."""
    events = EventPage.objects.shown().not_over(timezone.localdate()).order_by("pk")
    town = PortalSettings.for_request(request).town_name
    name = gettext("Events in %(town)s") % {"town": town}
    return _ics(ical.calendar(request, events, name))


def event_file(request, pk):
    """One event, to add to a calendar."""
    event = get_object_or_404(EventPage.objects.shown(), pk=pk)
    return _ics(ical.calendar(request, [event], event.title), f"{event.slug}.ics")
