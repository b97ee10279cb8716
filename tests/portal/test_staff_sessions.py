"""Staff sessions end with the browser and after 12 hours (home/staff_sessions.py);
residents' sessions, which hold their request lists, are left as they are."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import builders, timetravel

pytestmark = pytest.mark.django_db


def log_in(client, user, remember=False):
    fields = {"username": user.username, "password": "secret"}
    if remember:
        fields["remember"] = "on"
    response = client.post("/admin/login/", fields)
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def test_a_staff_session_ends_with_the_browser_even_when_remembered(client, baker):
    # Wagtail's "Remember me" would keep the session for two weeks (SESSION_COOKIE_AGE).
    response = log_in(client, baker, remember=True)

    assert client.session.get_expire_at_browser_close() is True
    # The cookie itself has no expiry date: the browser drops it when it closes.
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""


@pytest.mark.dated
def test_a_staff_session_lasts_twelve_hours_at_most(client, city_editor, moment):
    log_in(client, city_editor, remember=True)

    with timetravel.travel(moment + timedelta(hours=11, minutes=58)):
        assert client.get("/admin/").status_code == 200

    with timetravel.travel(moment + timedelta(hours=12, minutes=1)):
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
        assert "_auth_user_id" not in client.session


@pytest.mark.dated
def test_a_residents_request_list_outlives_twelve_hours(client, bakery, moment):
    baguette = builders.product(bakery, "Baguette tradition")
    client.post("/ma-demande/ajouter/", {"product": baguette.pk, "quantity": 2})

    assert client.session.get_expire_at_browser_close() is False

    with timetravel.travel(moment + timedelta(days=3)):
        response = client.get("/ma-demande/")
        assert "Baguette tradition" in response.content.decode()
        assert client.session.get_expire_at_browser_close() is False
        assert client.session.get_expiry_date() > timezone.now() + timedelta(days=7)
