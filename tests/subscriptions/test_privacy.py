"""The city's residents'-data page exports and erases a resident's subscriptions too."""

import json

import pytest
from django.urls import reverse

from notifications.models import Notification
from subscriptions.models import Subscriber, Subscription

from .conftest import MARIE, confirm, follow

pytestmark = pytest.mark.django_db

EXPORT = "orders_residents_data_export"
ERASE = "orders_residents_data_erase"


@pytest.fixture
def maries_subscriptions(bakery):
    from django.test import Client

    resident = Client()
    follow(resident, "shop", bakery)
    confirm(resident)
    follow(resident, "town_news")
    follow(resident, "shop", bakery, email="paul@example.org")


def test_the_export_has_the_subscriptions_and_their_consent(
    client, city_editor, maries_subscriptions
):
    client.force_login(city_editor)

    response = client.post(reverse(EXPORT), {"email": "Marie@Example.org"})

    subscriptions = json.loads(response.content)["subscriptions"]
    assert [item["kind"] for item in subscriptions] == ["shop", "town_news"]
    shop = subscriptions[0]
    assert shop["follows"] == "Boulangerie Dupont"
    assert (
        shop["confirmed_at"] and shop["asked_at"] and "Boulangerie Dupont" in shop["consent_text"]
    )
    assert subscriptions[1]["confirmed_at"] is None
    assert "paul" not in response.content.decode()


def test_the_erasure_forgets_the_address_and_its_emails(client, city_editor, maries_subscriptions):
    client.force_login(city_editor)

    client.post(reverse(ERASE), {"email": MARIE, "confirm": "yes"})

    assert list(Subscriber.objects.values_list("email", flat=True)) == ["paul@example.org"]
    assert not Subscription.objects.filter(subscriber__email=MARIE).exists()
    assert not Notification.objects.filter(to=MARIE).exists()
    assert Notification.objects.filter(to="paul@example.org").exists()
