"""The demo town's collection point: the town hall's reception, its staff, a day of history."""

from datetime import time

import pytest
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from collection.models import CollectionPoint, GroupedPickup, PickupState
from merchants.models import MerchantPage
from orders.models import Status

from .test_seed_demo import seed

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_town_halls_reception_its_staff_and_a_day_of_history(client):
    output = seed()

    point = CollectionPoint.objects.get()
    hours = {(h.weekday, h.closes) for h in point.opening_hours.all()}
    assert (0, time(19)) in hours and any(weekday == 5 for weekday, _closes in hours)
    assert MerchantPage.objects.filter(grouped_pickup=True).count() >= 2
    past = GroupedPickup.objects.get(state=PickupState.HANDED_OVER)
    assert past.day < timezone.localdate()
    assert {p.request.status for p in past.parcels.all()} == {Status.COMPLETED}
    today = GroupedPickup.objects.get(day=timezone.localdate())
    assert "accueil" in output

    assert client.login(request=HttpRequest(), username="accueil", password="demo")
    page = client.get(reverse("collection_staff_day", args=[point.pk])).content.decode()
    assert today.reference in page and "Nadia Lefèvre" in page

    seed()
    assert GroupedPickup.objects.count() == 2
    assert CollectionPoint.objects.count() == 1
