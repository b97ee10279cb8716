"""When events happen: repetitions, exceptions, and the town's wall clock across the changes
of time."""

import itertools
from datetime import UTC, date, datetime, time

import pytest
from django.core.exceptions import ValidationError

from events import recurrence
from events.models import EventException, EventPage

pytestmark = pytest.mark.django_db


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def starts_and_ends(event, after, count):
    found = recurrence.occurrences(event, after)
    return [
        (item.start.astimezone(UTC), item.end.astimezone(UTC))
        for item in itertools.islice(found, count)
    ]


def market(**fields):
    values = {
        "title": "Marché du samedi",
        "start_date": date(2027, 10, 2),
        "start_time": time(8),
        "end_time": time(13),
        "repeat": "weekly",
        "place": "Grand-Place",
    }
    return EventPage(**{**values, **fields})


def test_a_weekly_market_keeps_its_hours_when_the_clocks_go_back():
    # Saturdays 23 and 30 October 2027 are in summer time (UTC+2), 6 November in winter
    # time (UTC+1): 8:00 in Brussels is 6:00 UTC, then 7:00 UTC.
    assert starts_and_ends(market(), utc(2027, 10, 20), 3) == [
        (utc(2027, 10, 23, 6), utc(2027, 10, 23, 11)),
        (utc(2027, 10, 30, 6), utc(2027, 10, 30, 11)),
        (utc(2027, 11, 6, 7), utc(2027, 11, 6, 12)),
    ]


def test_a_weekly_market_keeps_its_hours_when_the_clocks_go_forward():
    # The clocks go forward on Sunday 28 March 2027: 8:00 is 7:00 UTC, then 6:00 UTC.
    spring = market(start_date=date(2027, 3, 27))
    assert starts_and_ends(spring, utc(2027, 3, 26), 2) == [
        (utc(2027, 3, 27, 7), utc(2027, 3, 27, 12)),
        (utc(2027, 4, 3, 6), utc(2027, 4, 3, 11)),
    ]


def test_a_market_does_not_take_place_on_its_exceptions():
    event = market()
    # The Saturday of the change of time is cancelled: the next one is the first in winter.
    event.exceptions.add(EventException(date=date(2027, 10, 30)))
    assert starts_and_ends(event, utc(2027, 10, 24), 1) == [
        (utc(2027, 11, 6, 7), utc(2027, 11, 6, 12))
    ]


def test_an_occurrence_under_way_is_still_upcoming_until_it_ends():
    during = utc(2027, 11, 6, 11, 59)  # 12:59 in Brussels
    assert starts_and_ends(market(), during, 1)[0][0] == utc(2027, 11, 6, 7)
    assert starts_and_ends(market(), utc(2027, 11, 6, 12), 1)[0][0] == utc(2027, 11, 13, 7)


def test_a_repetition_ends_on_its_last_day_inclusive():
    event = market(repeat_until=date(2027, 10, 16))
    found = list(recurrence.occurrences(event, utc(2027, 10, 1)))
    assert [item.start.date() for item in found] == [
        date(2027, 10, 2),
        date(2027, 10, 9),
        date(2027, 10, 16),
    ]


def test_an_event_over_several_days_ends_on_its_last_day():
    fair = EventPage(
        title="Foire",
        start_date=date(2027, 10, 30),
        end_date=date(2027, 10, 31),
        start_time=time(10),
        end_time=time(18),
        place="Parc",
    )
    [(start, end)] = starts_and_ends(fair, utc(2027, 10, 1), 5)
    # Sunday 31 October 18:00 is already winter time: 17:00 UTC.
    assert (start, end) == (utc(2027, 10, 30, 8), utc(2027, 10, 31, 17))


def test_the_soonest_events_come_first_and_each_once():
    later = market(title="Marché bio", start_date=date(2027, 10, 7))
    first = market()
    found = recurrence.next_occurrences([later, first], utc(2027, 10, 3))
    assert [(item.event.title, item.start.date()) for item in found] == [
        ("Marché bio", date(2027, 10, 7)),
        ("Marché du samedi", date(2027, 10, 9)),
    ]


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"end_time": time(7)}, "end_time"),
        ({"end_date": date(2027, 10, 1)}, "end_date"),
        ({"repeat": "", "repeat_until": date(2027, 12, 1)}, "repeat_until"),
        ({"repeat_until": date(2027, 9, 1)}, "repeat_until"),
    ],
)
def test_impossible_dates_are_refused_next_to_their_field(fields, field):
    event = market(**fields)
    with pytest.raises(ValidationError) as refused:
        event.clean()
    assert field in refused.value.message_dict
