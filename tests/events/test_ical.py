"""The calendar as iCalendar, read back with the icalendar package as a calendar
application would."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from . import builders

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")


def parsed(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events_of(calendar):
    return {str(item["summary"]): item for item in calendar.walk("VEVENT")}


def test_the_feed_has_each_event_with_its_repetition_in_the_towns_time_zone(client):
    builders.saturday_market(
        exceptions=[date(2027, 10, 30)], latitude=Decimal("50.4541"), longitude=Decimal("3.9523")
    )
    builders.event("Brocante", start_date=date(2027, 11, 7), start_time=datetime.min.time())

    calendar = parsed(client.get("/calendrier/agenda.ics"))

    [zone] = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Brussels"
    # Both rules of the zone, so that an application places summer and winter dates right.
    assert {part.name for part in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    market = events_of(calendar)["Marché du samedi"]
    assert market["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert market.decoded("DTSTART") == datetime(2027, 10, 2, 8, tzinfo=BRUSSELS)
    assert market.decoded("DTEND") == datetime(2027, 10, 2, 13, tzinfo=BRUSSELS)
    assert market["RRULE"]["FREQ"] == ["WEEKLY"]
    [exdate] = market["EXDATE"].dts
    assert exdate.dt == datetime(2027, 10, 30, 8, tzinfo=BRUSSELS)
    assert market["DTSTAMP"].dt.utcoffset().total_seconds() == 0
    assert market["LOCATION"] == "Grand-Place"
    assert market["GEO"].latitude == pytest.approx(50.4541)
    assert "RRULE" not in events_of(calendar)["Brocante"]


def test_a_repetition_with_an_end_gives_it_in_utc(client):
    builders.saturday_market(repeat_until=date(2027, 12, 18))
    market = events_of(parsed(client.get("/calendrier/agenda.ics")))["Marché du samedi"]
    # RFC 5545: with a DTSTART in a time zone, UNTIL is in UTC (8:00 in winter is 7:00 UTC).
    [until] = market["RRULE"]["UNTIL"]
    assert until == datetime(2027, 12, 18, 7, tzinfo=ZoneInfo("UTC"))


def test_an_events_uid_stays_when_it_is_renamed_and_republished(client):
    market = builders.saturday_market()
    uid = str(events_of(parsed(client.get("/calendrier/agenda.ics")))["Marché du samedi"]["UID"])
    market.title, market.slug = "Marché de la Grand-Place", "marche-grand-place"
    market.save_revision().publish()

    renamed = events_of(parsed(client.get("/calendrier/agenda.ics")))["Marché de la Grand-Place"]
    assert str(renamed["UID"]) == uid
    assert uid.startswith(f"event-{market.pk}@")


def test_one_event_as_a_file_to_add_to_a_calendar(client):
    market = builders.saturday_market()
    builders.event("Brocante")
    response = client.get(f"/calendrier/evenement-{market.pk}.ics")
    assert response["Content-Disposition"] == f'attachment; filename="{market.slug}.ics"'
    calendar = parsed(response)
    assert list(events_of(calendar)) == ["Marché du samedi"]
    assert calendar.walk("VTIMEZONE")


def test_an_events_file_name_keeps_the_accents_of_its_address(client):
    market = builders.saturday_market()
    market.slug = "marché-du-samedi"
    market.save_revision().publish()
    response = client.get(f"/calendrier/evenement-{market.pk}.ics")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''march%C3%A9-du-samedi.ics"
    )


def test_drafts_and_past_events_are_not_in_the_calendar(client):
    draft = builders.event("Brouillon", start_date=date(2099, 1, 1), publish=False)
    builders.event("Il y a longtemps", start_date=date(2001, 1, 1))
    builders.event("Plus tard", start_date=date(2099, 1, 1))

    assert list(events_of(parsed(client.get("/calendrier/agenda.ics")))) == ["Plus tard"]
    assert client.get(f"/calendrier/evenement-{draft.pk}.ics").status_code == 404
