from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from notifications.models import Notification
from products.models import Availability

from .. import builders

MARIE = "marie@example.org"


def follow(client, kind, target=None, email=MARIE, meta=None, **fields):
    data = {"email": email, "kind": kind, "target": target.pk if target else "", "website": ""}
    return client.post(reverse("subscriptions:follow"), {**data, **fields}, **(meta or {}))


def mails_to(email=MARIE, template=None):
    mails = Notification.objects.filter(to=email).order_by("pk")
    return mails.filter(template=template) if template else mails


def path(url):
    return urlsplit(url).path


def confirm(client, email=MARIE):
    """Follow the link of the latest confirmation e-mail, and press its button."""
    link = path(mails_to(email, "subscriptions/confirm").last().context["confirm_url"])
    return client.post(link)


@pytest.fixture
def sold_out(bakery):
    return builders.product(bakery, "Cramique", availability=Availability.OUT_OF_STOCK)
