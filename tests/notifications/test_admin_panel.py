"""The city's dashboard shows whether mail flows, and lets it resend a failed e-mail."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

from notifications.models import FAILED, PENDING, Notification

pytestmark = pytest.mark.django_db

DASHBOARD = "wagtailadmin_home"


def speaking_english(user):
    # The admin speaks French by default; these tests read the English source strings.
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def admin_user(django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "secret")
    return speaking_english(user)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def outbox_viewer(django_user_model):
    """Someone allowed to see the outbox, not to act on it."""
    user = django_user_model.objects.create_user("lecteur", "lecteur@example.org", "secret")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_notification"),
    )
    return speaking_english(user)


@pytest.fixture
def failed_email(db):
    return Notification.objects.create(
        to="jeanne.dupont@example.org",
        template="orders/request_received_shop",
        language="fr",
        reference="R-7K2Q",
        attempts=8,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
        failed_at=timezone.now(),
    )


def resend_url(notification):
    return reverse("notifications_resend", args=[notification.pk])


def assert_refused(response):
    # Wagtail's admin answers PermissionDenied by going home with an error message.
    assert response.status_code == 302
    assert response.url == reverse(DASHBOARD)


def test_city_sees_the_outbox_health_and_the_failed_emails(admin_client, failed_email, hello):
    hello(to="paul.martin@example.org")
    page = admin_client.get(reverse(DASHBOARD)).content.decode()
    assert "1 e-mail waiting to be sent." in page
    assert "1 e-mail could not be sent after every attempt." in page
    assert f"#{failed_email.pk} orders/request_received_shop" in page
    assert "R-7K2Q" in page
    assert "SMTPServerDisconnected" in page
    assert resend_url(failed_email) in page
    # A dashboard is read over shoulders: no resident's address on it.
    assert "jeanne.dupont" not in page
    assert "paul.martin" not in page


def test_a_quiet_outbox_says_so(admin_client):
    page = admin_client.get(reverse(DASHBOARD)).content.decode()
    assert "Every e-mail has been sent." in page


def test_city_resends_a_failed_email_from_the_dashboard(admin_user, failed_email):
    # Through the panel's own form, with CSRF checks on as in a browser.
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    page = client.get(reverse(DASHBOARD)).content.decode()
    form = page[page.index(f'action="{resend_url(failed_email)}"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)

    response = client.post(resend_url(failed_email), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert response.url == reverse(DASHBOARD)
    failed_email.refresh_from_db()
    assert failed_email.status == PENDING
    assert failed_email.attempts == 0
    page = client.get(reverse(DASHBOARD)).content.decode()
    assert f"E-mail #{failed_email.pk} orders/request_received_shop will be sent again." in page


def test_resend_without_the_csrf_token_is_refused(admin_user, failed_email):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    assert client.post(resend_url(failed_email)).status_code == 403
    failed_email.refresh_from_db()
    assert failed_email.status == FAILED


def test_resend_is_refused_on_get(admin_client, failed_email):
    assert admin_client.get(resend_url(failed_email)).status_code == 405
    failed_email.refresh_from_db()
    assert failed_email.status == FAILED


def test_outbox_viewer_sees_the_panel_but_cannot_resend(client, outbox_viewer, failed_email):
    client.force_login(outbox_viewer)
    page = client.get(reverse(DASHBOARD)).content.decode()
    assert "1 e-mail could not be sent after every attempt." in page
    assert resend_url(failed_email) not in page
    assert_refused(client.post(resend_url(failed_email)))
    failed_email.refresh_from_db()
    assert failed_email.status == FAILED


def test_baker_neither_sees_the_outbox_nor_resends(client, baker, failed_email):
    client.force_login(baker)
    page = client.get(reverse(DASHBOARD)).content.decode()
    assert 'id="notifications-outbox' not in page
    assert "R-7K2Q" not in page
    assert_refused(client.post(resend_url(failed_email)))
    failed_email.refresh_from_db()
    assert failed_email.status == FAILED


def test_a_visitor_is_sent_to_the_login_page(client, failed_email):
    response = client.post(resend_url(failed_email))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response.url
    failed_email.refresh_from_db()
    assert failed_email.status == FAILED
