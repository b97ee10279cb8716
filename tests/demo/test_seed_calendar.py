"""The demo town has a calendar: a Saturday market with a Saturday off, and an evening."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from events import recurrence
from events.models import EventPage

pytestmark = pytest.mark.django_db


def test_the_demo_town_has_a_market_with_a_saturday_off_and_a_one_off_evening(client):
    call_command("seed_demo", size="small", force=True, stdout=io.StringIO())
    market = EventPage.objects.get(slug="marche-du-samedi")
    evening = EventPage.objects.get(slug="nocturne-des-commerces")
    [day_off] = [exception.date for exception in market.exceptions.all()]
    assert day_off.weekday() == 5 and day_off > timezone.localdate()
    now = timezone.now()
    dates = [item.start.date() for item in recurrence.upcoming([market], now, now + timedelta(60))]
    assert day_off - timedelta(weeks=1) in dates and day_off not in dates
    assert not evening.repeat and market.shops.count() and evening.shops.count()

    home = client.get("/").content.decode()
    assert "Marché du samedi" in home and "Nocturne des commerces" in home
    # A second run creates nothing more.
    call_command("seed_demo", size="small", force=True, stdout=io.StringIO())
    assert EventPage.objects.count() == 2
