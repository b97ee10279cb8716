"""The windows a resident may choose: the next 14 days, after the shop's preparation time,
not full, at the wall-clock hours of the courier's week through a change of hour."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from courier.models import Stop
from courier.windows import HORIZON_DAYS, open_slots
from tests import builders
from tests.timetravel import travel

from .conftest import make_courier

pytestmark = pytest.mark.django_db


def local(moment):
    return timezone.localtime(moment)


@pytest.mark.dated
def test_offered_windows_start_after_the_preparation_time_within_14_days(bakery, cargo_bikes):
    now = timezone.now()
    earliest = bakery.ready_time(now)
    slots = open_slots(cargo_bikes, bakery, now)

    assert slots, "a courier delivering every evening has windows in the next 14 days"
    assert all(slot.starts_at >= earliest for slot in slots)
    assert all(
        (local(slot.starts_at).time(), local(slot.ends_at).time()) == (time(17), time(19))
        for slot in slots
    )
    days = [slot.day for slot in slots]
    assert days == sorted(set(days))  # one a day, in order
    assert days[-1] == timezone.localdate(now) + timedelta(days=HORIZON_DAYS - 1)
    # Every evening from the first one the shop can make is offered.
    assert len(slots) == (days[-1] - days[0]).days + 1


def test_the_windows_keep_their_hours_through_the_spring_change_of_hour(bakery, cargo_bikes):
    # Wednesday 24 March 2027, 10:00 in Brussels; the clocks go forward on Sunday 28.
    with travel("2027-03-24T09:00:00+00:00"):
        slots = open_slots(cargo_bikes, bakery)

    by_day = {slot.day: slot for slot in slots}
    saturday, sunday = by_day[date(2027, 3, 27)], by_day[date(2027, 3, 28)]
    assert local(saturday.starts_at).hour == local(sunday.starts_at).hour == 17
    assert saturday.starts_at.utcoffset() == timedelta(hours=1)
    assert sunday.starts_at.utcoffset() == timedelta(hours=2)
    assert sunday.label.endswith("17:00–19:00")


def test_a_window_starts_once_the_shop_can_be_ready(bakery, cargo_bikes):
    bakery.preparation_time = timedelta(hours=2)
    bakery.save()
    # Tuesday 8 June 2027, 15:30 in Brussels: ready at 17:30, after the evening's start.
    with travel("2027-06-08T13:30:00+00:00"):
        first = open_slots(cargo_bikes, bakery)[0]
    assert first.day == date(2027, 6, 9)
    # At 14:30 the shop is ready by 16:30: this evening's window is offered.
    with travel("2027-06-08T12:30:00+00:00"):
        first = open_slots(cargo_bikes, bakery)[0]
    assert first.day == date(2027, 6, 8)


def test_a_full_window_is_not_offered_and_a_dropped_request_frees_its_place(bakery, cargo_bikes):
    with travel("2027-06-08T08:00:00+00:00"):
        slot = open_slots(cargo_bikes, bakery)[0]
        requests = []
        for name in ("Marie Dubois", "Jean Martin"):
            request = builders.order_request(bakery, name, fulfilment="courier")
            Stop.objects.create(
                request=request,
                courier=cargo_bikes,
                window=slot.window,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
            )
            requests.append(request)
        assert open_slots(cargo_bikes, bakery)[0].day == slot.day + timedelta(days=1)

        requests[0].status = "declined"
        requests[0].save()
        assert open_slots(cargo_bikes, bakery)[0] == slot


def test_a_courier_without_windows_offers_none(bakery):
    courier = make_courier(bakery)
    assert open_slots(courier, bakery) == []
