"""Named personas and the page tree, so that a test reads like a sentence."""

import pytest
from django.contrib.auth.models import Group, Permission

from merchants.models import ShopMembership
from merchants.ownership import CITY_EDITORS_GROUP

from . import builders


def _user(django_user_model, username, **fields):
    return django_user_model.objects.create_user(
        username=username, email=f"{username}@example.org", password="secret", **fields
    )


def _merchant(django_user_model, username, shop_page):
    user = _user(django_user_model, username)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    ShopMembership.objects.create(user=user, shop=shop_page)
    return user


@pytest.fixture
def home(db):
    return builders.home_page()


@pytest.fixture
def shop_index(db):
    return builders.shop_index()


@pytest.fixture
def bakery(db):
    return builders.shop(
        "Boulangerie Dupont",
        slug="boulangerie-dupont",
        categories=[builders.category("Boulangerie", "🥖")],
        neighbourhood=builders.neighbourhood("Centre"),
        offers_delivery=True,
        delivery_postcodes="7000, 7011",
        order_email="commandes@boulangerie-dupont.example",
    )


@pytest.fixture
def flower_shop(db):
    return builders.shop(
        "Fleurs de Lys",
        slug="fleurs-de-lys",
        categories=[builders.category("Fleuriste", "💐")],
        neighbourhood=builders.neighbourhood("Gare"),
        order_email="commandes@fleurs-de-lys.example",
    )


@pytest.fixture
def resident(db, django_user_model):
    """A resident has no account: this is the anonymous visitor, as a client."""
    from django.test import Client

    return Client()


@pytest.fixture
def city_editor(db, django_user_model):
    user = _user(django_user_model, "ville")
    user.groups.add(Group.objects.get(name=CITY_EDITORS_GROUP))
    return user


@pytest.fixture
def baker(db, django_user_model, bakery):
    return _merchant(django_user_model, "boulanger", bakery)


@pytest.fixture
def florist(db, django_user_model, flower_shop):
    return _merchant(django_user_model, "fleuriste", flower_shop)
