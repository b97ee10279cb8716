"""The point's lists follow the residents' data rules (orders/privacy.py)."""

import pytest
from django.urls import reverse

from orders import privacy
from tests import builders

from .test_staff import collection_at, staff_of

pytestmark = pytest.mark.django_db


def test_the_export_names_the_residents_grouped_pick_ups(grouped_shops, point):
    pickup = collection_at(point, grouped_shops[:2])

    data = privacy.export_resident("MARIE@example.org")

    assert data["grouped_pickups"] == [
        {
            "reference": pickup.reference,
            "point": point.name,
            "day": pickup.day.isoformat(),
            "state": "expected",
            "requests": sorted(
                (p.request.reference for p in pickup.parcels.all()),
                key=lambda ref: pickup.parcels.get(request__reference=ref).pk,
            ),
            "received_from_the_shops": [],
            "ready_on": None,
            "closed_on": None,
        }
    ]
    assert privacy.export_resident("paul@example.org")["grouped_pickups"] == []


def test_after_an_erasure_the_points_list_shows_neither_name_nor_phone(
    client, grouped_shops, point, django_user_model
):
    pickup = collection_at(point, grouped_shops[:2])
    staff = staff_of(point, django_user_model)

    privacy.erase_resident("marie@example.org")

    builders.admin_login(client, staff)
    page = client.get(reverse("collection_staff_day", args=[point.pk])).content.decode()
    assert pickup.reference in page
    assert "Marie Dubois" not in page and "0470 12 34 56" not in page
