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


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rate-limit counters must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def task_failures():
    """The immediate task backend only logs a task's exception; here it fails the test."""
    from django_tasks import TaskResultStatus
    from django_tasks.signals import task_finished

    failed = []

    def record(sender, task_result, **kwargs):
        if task_result.status == TaskResultStatus.FAILED:
            failed.append(f"{task_result.task.name}: {task_result.errors}")

    task_finished.connect(record, dispatch_uid="tests.fail_on_task_errors")
    yield failed
    task_finished.disconnect(dispatch_uid="tests.fail_on_task_errors")
    assert not failed, f"a background task failed during the test: {failed}"
