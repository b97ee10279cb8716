"""Named personas and the page tree, so that a test reads like a sentence."""

import pytest
from django.contrib.auth.models import Group, Permission

from merchants.models import ShopMembership
from merchants.ownership import CITY_EDITORS_GROUP

from . import builders, timetravel


def pytest_addoption(parser):
    parser.addoption(
        "--now",
        metavar="INSTANT",
        help="run the whole suite as if it were this UTC instant, e.g. 2031-07-14T09:00Z",
    )
    parser.addoption(
        "--no-sweep",
        action="store_true",
        help="run the dated tests at the session's moment only, not at the sweep's moments",
    )


def pytest_configure(config):
    now = config.getoption("--now")
    if now:
        # Before the test database exists: the whole session lives on that day.
        config._portal_travel = timetravel.travel(now)
        config._portal_travel.start()


def pytest_unconfigure(config):
    if travel := getattr(config, "_portal_travel", None):
        travel.stop()


def pytest_generate_tests(metafunc):
    """A `dated` test runs at the session's moment, then at each moment of the sweep."""
    if metafunc.definition.get_closest_marker("dated") is None:
        return
    moments = [None]
    if not metafunc.config.getoption("--no-sweep"):
        moments += list(timetravel.SWEEP)
    metafunc.parametrize(
        "moment", moments, ids=[name or "now" for name in moments], indirect=True, scope="function"
    )


@pytest.fixture(autouse=True)
def moment(request):
    """The UTC instant a dated test runs at; time runs on from there. A failure names it in
    the test's id (`test_x[leap-day]`). Undated tests run at the session's moment."""
    from django.utils import timezone

    name = getattr(request, "param", None)
    if name is None:
        yield timezone.now()
        return
    with timetravel.travel(timetravel.SWEEP[name]):
        yield timezone.now()


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
def _default_language():
    """Each test starts in the portal's default language: a request served in English (the
    test client keeps the language active afterwards) must not change what the next test
    writes, such as the text of a request's history."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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
