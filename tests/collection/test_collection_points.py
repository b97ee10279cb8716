"""Collection points: the city's places where residents collect what several shops
prepared. Their hours follow the shops' rules (merchants/hours.py)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from collection.models import CollectionPoint

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
ADD = reverse("wagtailsnippets_collection_collectionpoint:add")


def point(**fields):
    fields = {
        "name": "Accueil de l'hôtel de ville",
        "street_address": "1 Grand-Place",
        "postcode": "7000",
        "town": "Valbourg",
        "capacity_per_day": 20,
        **fields,
    }
    return CollectionPoint.objects.create(**fields)


def with_hours(p, *rows):
    for weekday, opens, closes in rows:
        p.opening_hours.create(
            weekday=weekday, opens=time.fromisoformat(opens), closes=time.fromisoformat(closes)
        )
    return p


def form(**fields):
    return nested_form_data(
        {
            "name": "Café du Centre",
            "street_address": "3 rue Haute",
            "postcode": "7000",
            "town": "Valbourg",
            "latitude": "",
            "longitude": "",
            "instructions": "Au comptoir.",
            "capacity_per_day": "15",
            "keeping_days": "7",
            "paused_until": "",
            "pause_reason": "",
            "opening_hours": inline_formset(
                [{"weekday": str(MON), "opens": "16:00", "closes": "19:00"}]
            ),
            "closures": inline_formset([]),
            "staff": inline_formset([]),
            **fields,
        }
    )


def test_the_city_adds_a_point_with_its_hours(client, city_editor):
    client.force_login(city_editor)

    response = client.post(ADD, form())

    assert response.status_code == 302
    added = CollectionPoint.objects.get()
    assert [(h.weekday, h.opens, h.closes) for h in added.opening_hours.all()] == [
        (MON, time(16), time(19))
    ]


def test_a_capacity_of_zero_is_refused_next_to_the_field_and_kept(client, city_editor):
    client.force_login(city_editor)

    response = client.post(ADD, form(capacity_per_day="0", name="Café gardé"))

    assert response.status_code == 200
    assert "capacity_per_day" in response.context["form"].errors
    assert "Café gardé" in response.content.decode()
    assert not CollectionPoint.objects.exists()


def test_a_latitude_without_its_longitude_is_refused_next_to_the_longitude(client, city_editor):
    client.force_login(city_editor)

    response = client.post(ADD, form(latitude="50.454200"))

    assert response.status_code == 200
    assert "longitude" in response.context["form"].errors
    assert "50.454200" in response.content.decode()
    assert not CollectionPoint.objects.exists()


def test_a_closure_ending_before_it_starts_is_refused_next_to_the_field(client, city_editor):
    client.force_login(city_editor)
    closures = inline_formset(
        [{"starts_on": "2027-05-10", "ends_on": "2027-05-01", "reason": "Travaux"}]
    )

    response = client.post(ADD, form(closures=closures))

    assert response.status_code == 200
    closure_form = response.context["form"].formsets["closures"].forms[0]
    assert "ends_on" in closure_form.errors
    assert not CollectionPoint.objects.exists()


def test_both_merchants_are_refused_the_points_listing(client, baker, florist):
    for merchant in (baker, florist):
        client.force_login(merchant)
        response = client.get(reverse("wagtailsnippets_collection_collectionpoint:list"))
        assert response.status_code in (302, 403)


def test_a_point_without_chosen_shops_accepts_every_shop(bakery, flower_shop):
    p = point()

    assert p.accepts(bakery, date(2027, 5, 3))
    assert p.accepts(flower_shop, date(2027, 5, 3))


def test_a_point_with_chosen_shops_accepts_only_those(bakery, flower_shop):
    p = point()
    p.shops.add(bakery)

    assert p.accepts(bakery, date(2027, 5, 3))
    assert not p.accepts(flower_shop, date(2027, 5, 3))


def test_a_paused_point_accepts_no_shop_until_the_day_after_its_pause(bakery):
    p = point(paused_until=date(2027, 5, 3), pause_reason="Inventaire")

    assert not p.accepts(bakery, date(2027, 5, 3))
    assert p.accepts(bakery, date(2027, 5, 4))


@pytest.mark.dated
def test_a_point_paused_until_today_accepts_nothing_today(bakery):
    p = point(paused_until=timezone.localdate())

    assert not p.accepts(bakery)
    assert p.accepts(bakery, timezone.localdate() + timedelta(days=1))


def test_a_point_is_open_on_the_days_it_has_hours_but_not_during_a_closure():
    p = with_hours(point(), (MON, "16:00", "19:00"), (SAT, "09:00", "12:00"))
    p.closures.create(starts_on=date(2027, 5, 8), ends_on=date(2027, 5, 10), reason="Fête")

    assert p.is_open_on(date(2027, 5, 3))  # a Monday
    assert not p.is_open_on(date(2027, 5, 4))  # a Tuesday: no hours
    assert p.is_open_on(date(2027, 5, 1))  # a Saturday
    assert not p.is_open_on(date(2027, 5, 8))  # Saturday, closed
    assert not p.is_open_on(date(2027, 5, 10))  # Monday, last day of the closure
    assert p.is_open_on(date(2027, 5, 17))


def test_a_range_in_the_hour_the_spring_night_skips_does_not_open_that_day():
    # 28 March 2027: the clock jumps from 02:00 to 03:00 in Brussels.
    p = with_hours(point(), (SUN, "02:00", "02:45"))

    assert not p.is_open_on(date(2027, 3, 28))
    assert p.is_open_on(date(2027, 4, 4))
    assert p.is_open_on(date(2027, 10, 31))  # the autumn night repeats the hour


def test_status_follows_the_wall_clock_across_the_autumn_change():
    p = with_hours(point(), (SUN, "17:00", "19:00"))
    p.closures.create(starts_on=date(2027, 11, 7), ends_on=date(2027, 11, 7))

    # 31 October 2027, 17:30 in Brussels is 16:30 UTC (CET again since the night).
    before = p.status(datetime(2027, 10, 31, 16, 30, tzinfo=ZoneInfo("UTC")))
    after = p.status(datetime(2027, 10, 31, 18, 30, tzinfo=ZoneInfo("UTC")))

    assert before.is_open
    assert before.closes_at == datetime(2027, 10, 31, 19, 0)
    assert not after.is_open
    # The next Sunday is closed: the one after.
    assert after.opens_at == datetime(2027, 11, 14, 17, 0)
    assert timezone.localtime(before.changes_at, BRUSSELS).hour == 19
