"""A courier's members reach the admin for their round sheet, and lose it when they leave."""

import pytest
from django.urls import reverse

from tests import builders

pytestmark = pytest.mark.django_db


def test_a_member_reaches_the_round_sheet_until_it_leaves(client, django_user_model, cargo_bikes):
    user = django_user_model.objects.create_user(username="lea", password="x")
    cargo_bikes.members.add(user)
    builders.admin_login(client, user)

    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("courier_round_sheet") in home  # its panel and its menu item
    assert client.get(reverse("courier_round_sheet")).status_code == 200

    cargo_bikes.members.remove(user)
    user = django_user_model.objects.get(pk=user.pk)
    assert not user.has_perm("wagtailadmin.access_admin")


def test_the_sheet_keeps_the_day_when_another_couriers_id_is_given(
    client, rider, bakery, cargo_bikes
):
    from datetime import timedelta

    from django.utils import timezone

    builders.admin_login(client, rider)
    later = timezone.localdate() + timedelta(days=183)
    page = client.get(reverse("courier_round_sheet"), {"day": later.isoformat(), "courier": "999"})
    assert page.context["day"] == later
    assert page.context["courier"] == cargo_bikes
