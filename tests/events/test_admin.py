"""Events are the city's: its editors add and edit them, merchants can do neither."""

import json
from datetime import date

import pytest
from django.urls import reverse

from events.models import EventPage
from tests import builders as town

from . import builders

pytestmark = pytest.mark.django_db


def add_url():
    return reverse("wagtailadmin_pages:add", args=["events", "eventpage", builders.calendar().pk])


def event_form(**changes):
    data = {
        "title": "Marché de Noël",
        "slug": "marche-de-noel",
        "start_date": "2027-12-11",
        "start_time": "10:00",
        "end_time": "19:00",
        "end_date": "",
        "repeat": "daily",
        "repeat_until": "2027-12-24",
        "place": "Grand-Place",
        "address": "",
        "latitude": "",
        "longitude": "",
        "intro": "",
        "body": json.dumps({"blocks": [], "entityMap": {}}),
        "banner": "",
        "banner_alt": "",
        "exceptions-TOTAL_FORMS": "1",
        "exceptions-INITIAL_FORMS": "0",
        "exceptions-MIN_NUM_FORMS": "0",
        "exceptions-MAX_NUM_FORMS": "1000",
        "exceptions-0-date": "2027-12-20",
        "exceptions-0-ORDER": "1",
        "exceptions-0-id": "",
        "exceptions-0-DELETE": "",
        "shops-TOTAL_FORMS": "0",
        "shops-INITIAL_FORMS": "0",
        "shops-MIN_NUM_FORMS": "0",
        "shops-MAX_NUM_FORMS": "1000",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
        "action-publish": "action-publish",
    }
    data.update(changes)
    return data


def test_the_city_editor_publishes_a_repeating_event_with_an_exception(client, city_editor):
    town.admin_login(client, city_editor)
    response = client.post(add_url(), event_form())
    assert response.status_code == 302, response.context["form"].errors
    event = EventPage.objects.get(slug="marche-de-noel")
    assert event.live
    assert [exception.date for exception in event.exceptions.all()] == [date(2027, 12, 20)]


def test_the_city_editor_previews_a_new_event_with_its_shops_and_day_off(
    client, city_editor, bakery
):
    town.admin_login(client, city_editor)
    parent = builders.calendar()
    preview = reverse("wagtailadmin_pages:preview_on_add", args=["events", "eventpage", parent.pk])
    form = event_form(
        **{
            "shops-TOTAL_FORMS": "1",
            "shops-0-shop": str(bakery.pk),
            "shops-0-ORDER": "1",
            "shops-0-id": "",
            "shops-0-DELETE": "",
        }
    )
    assert client.post(preview, form).json()["is_valid"]
    page = client.get(preview).content.decode()
    # Nothing is saved: the preview shows the form's dates, its day off and its shop.
    assert "Samedi 11 décembre 2027" in page or "Saturday 11 December 2027" in page
    assert "2027-12-19T10:00:00" in page and "2027-12-20T10:00:00" not in page
    assert f'href="{bakery.url}"' in page
    assert not EventPage.objects.exists()


def test_an_event_ending_before_it_starts_is_refused_and_what_was_typed_is_kept(
    client, city_editor
):
    town.admin_login(client, city_editor)
    response = client.post(add_url(), event_form(end_time="09:00"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The event must end after it starts." in page  # next to the field
    assert 'value="Marché de Noël"' in page
    assert not EventPage.objects.exists()


def test_a_date_the_event_does_not_take_place_on_anyway_is_refused(client, city_editor):
    town.admin_login(client, city_editor)
    weekly = event_form(
        start_date="2027-12-04", repeat="weekly", **{"exceptions-0-date": "2027-12-12"}
    )
    response = client.post(add_url(), weekly)
    assert response.status_code == 200
    assert "The event does not take place on this date anyway." in response.content.decode()
    assert 'value="2027-12-12"' in response.content.decode()
    assert not EventPage.objects.exists()


def test_a_one_off_event_cannot_skip_its_only_date(client, city_editor):
    town.admin_login(client, city_editor)
    once = event_form(repeat="", repeat_until="", **{"exceptions-0-date": "2027-12-11"})
    response = client.post(add_url(), once)
    assert response.status_code == 200
    assert "Only an event that repeats skips dates" in response.content.decode()
    assert not EventPage.objects.exists()


def test_a_merchant_cannot_add_an_event(client, baker):
    client.force_login(baker)
    response = client.get(add_url())
    assert response.status_code in (302, 403)
    assert client.post(add_url(), event_form()).status_code in (302, 403)
    assert not EventPage.objects.exists()


def test_a_merchant_cannot_edit_an_event_it_takes_part_in(client, baker, bakery):
    market = builders.saturday_market(shops=[bakery])
    client.force_login(baker)
    edit = reverse("wagtailadmin_pages:edit", args=[market.pk])
    assert client.get(edit).status_code in (302, 403)
    client.post(edit, event_form(title="Marché annulé", slug=market.slug))
    market.refresh_from_db()
    assert market.title == "Marché du samedi"
