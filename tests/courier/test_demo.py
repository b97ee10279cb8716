"""The demo town's cargo-bike co-operative: windows, a log-in, two shops, a day of history."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from courier.models import Courier, Stop
from demo.seed import seed_demo
from orders.models import Status
from tests import builders

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_cargo_bike_cooperative_with_yesterdays_round_done(client):
    town = seed_demo(size="small")
    seed_demo(size="small")  # a second run creates nothing

    courier = Courier.objects.get()
    assert courier.windows.count() == 7
    assert set(courier.shops.values_list("memberships__user__username", flat=True)) == {
        "boulanger",
        "fleuriste",
    }
    assert all(shop.courier_delivery for shop in courier.shops.all())
    yesterday = timezone.localdate() - timedelta(days=1)
    done = Stop.objects.filter(starts_at__date__lte=yesterday)
    assert sorted(done.values_list("state", flat=True)) == ["done", "done", "done", "failed"]
    assert Stop.objects.count() == 6
    assert done.filter(request__status=Status.DELIVERY_FAILED).get().failure_reason
    assert "coursier" in [login.username for login in town.logins]

    builders.admin_login(client, get_user_model().objects.get(username="coursier"))
    sheet = client.get(reverse("courier_round_sheet"), {"day": yesterday.isoformat()})
    assert sheet.status_code == 200
    assert "Élise Moreau" in sheet.content.decode()
