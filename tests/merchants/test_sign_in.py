"""Password guessing: lock-outs on the admin's log-in, the city lifting them, and the
limited password-reset and invitation mails (merchants/sign_in.py)."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from home.models import PortalSettings
from merchants import applications
from merchants.models import MerchantApplication
from merchants.sign_in import client_address
from notifications.models import Notification

from .. import timetravel
from ..builders import admin_login

pytestmark = pytest.mark.django_db

LOGIN = reverse("wagtailadmin_login")
DASHBOARD = reverse("wagtailadmin_home")
LOCKOUTS = reverse("merchants_lockouts")
LIFT = reverse("merchants_lockouts_lift")
RESET = reverse("wagtailadmin_password_reset")
RESET_DONE = reverse("wagtailadmin_password_reset_done")
HERE, ELSEWHERE = "203.0.113.5", "198.51.100.9"


def log_in(client, user, password="secret", address=HERE, **headers):
    return client.post(
        LOGIN, {"username": user.username, "password": password}, REMOTE_ADDR=address, **headers
    )


def signed_in(response):
    return response.status_code == 302 and response["Location"] == DASHBOARD


def fail(client, user, times, address=HERE, **headers):
    for _ in range(times):
        log_in(client, user, "not-the-password", address, **headers)


def test_thirty_wrong_passwords_then_the_right_one_get_the_french_lockout_page(client, baker):
    contact = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    contact.contact_email = "commerce@valbourg.example"
    contact.save()
    fail(client, baker, 30)

    response = log_in(client, baker)

    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Trop de tentatives de connexion" in page
    assert "15 minutes" in page
    assert "mailto:commerce@valbourg.example" in page  # whom to contact
    assert 'class="login' in page  # the admin's log-in look
    assert response["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session
    assert client.get(DASHBOARD)["Location"].startswith(LOGIN)


def test_five_failures_lock_that_account_at_that_address_only(client, baker, florist):
    fail(client, baker, 5)

    assert log_in(client, baker).status_code == 429
    # Not by account alone: anyone could lock a merchant out by typing its name.
    assert signed_in(log_in(client, baker, address=ELSEWHERE))
    # Nor the whole address: a colleague at the same town hall still signs in.
    client.logout()
    assert signed_in(log_in(client, florist))


def test_twenty_failures_whatever_the_accounts_lock_the_address(
    client, baker, florist, django_user_model
):
    for number in range(5):  # four wrong passwords each: no account reaches its limit
        fail(client, django_user_model(username=f"essai-{number}"), 4)

    assert log_in(client, florist).status_code == 429
    assert signed_in(log_in(client, florist, address=ELSEWHERE))


@pytest.mark.dated
def test_the_lockout_ends_after_the_cool_off(client, baker):
    fail(client, baker, 5)
    locked_at = timezone.now()

    with timetravel.travel(locked_at + timedelta(minutes=14)):
        assert log_in(client, baker).status_code == 429
    with timetravel.travel(locked_at + timedelta(minutes=16)):
        assert signed_in(log_in(client, baker))


@pytest.mark.parametrize("proxies", [1, 0])
def test_visitors_behind_the_trusted_proxy_are_told_apart(client, settings, baker, proxies):
    settings.PORTAL_TRUSTED_PROXIES = proxies
    proxy = "10.0.0.2"

    fail(client, baker, 5, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    guesser = log_in(client, baker, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    other_visitor = log_in(client, baker, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.8")

    assert guesser.status_code == 429
    if proxies:
        assert signed_in(other_visitor)
    else:  # without a trusted proxy the header is the client's own word: ignored
        assert other_visitor.status_code == 429


def test_an_address_a_client_wrote_itself_is_not_taken(rf, settings):
    settings.PORTAL_TRUSTED_PROXIES = 1
    request = rf.post(LOGIN, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="<script>")

    assert client_address(request) == "10.0.0.2"


def test_a_city_editor_lifts_a_lockout_and_the_merchant_signs_in(
    client, baker, city_editor, caplog
):
    fail(client, baker, 5)
    admin_login(client, city_editor)

    listing = client.get(LOCKOUTS)

    assert listing.status_code == 200
    assert HERE in listing.content.decode()
    assert "boulanger (5)" in listing.content.decode()
    with caplog.at_level(logging.INFO, logger="portal.security"):
        response = client.post(LIFT, {"address": HERE})
    assert response["Location"] == LOCKOUTS
    assert f"{HERE} lifted by ville" in caplog.text
    assert "Nobody is locked out." in client.get(LOCKOUTS).content.decode()

    client.logout()
    assert signed_in(log_in(client, baker))


def test_the_lockouts_are_in_the_city_editors_settings_menu_only(client, baker, city_editor):
    admin_login(client, city_editor)
    assert LOCKOUTS in client.get(DASHBOARD).content.decode()

    admin_login(client, baker)
    assert LOCKOUTS not in client.get(DASHBOARD).content.decode()


@pytest.mark.parametrize("persona", ["baker", "florist"])
def test_merchants_can_neither_see_nor_lift_lockouts(request, client, baker, persona):
    fail(client, baker, 5)
    admin_login(client, request.getfixturevalue(persona))

    listing = client.get(LOCKOUTS)
    lift = client.post(LIFT, {"address": HERE})

    for response in (listing, lift):
        assert response.status_code == 302
        assert response["Location"] == DASHBOARD
    assert HERE not in client.get(DASHBOARD).content.decode()
    client.logout()
    assert log_in(client, baker).status_code == 429


def test_lifting_something_that_is_not_an_address_lifts_nothing(client, baker, city_editor):
    fail(client, baker, 5)
    admin_login(client, city_editor)

    response = client.post(LIFT, {"address": "everything"}, follow=True)

    assert "This is not an address: nothing was lifted." in response.content.decode()
    assert HERE in response.content.decode()


# Password-reset and invitation mails ----------------------------------------------------------


def ask_for_a_reset(client, email, address=HERE):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def test_password_reset_mails_to_an_address_are_limited_with_the_usual_answer(client, baker):
    answers = [ask_for_a_reset(client, baker.email, address=f"192.0.2.{n}") for n in range(4)]

    assert len(mail.outbox) == 3
    assert {mail.to[0] for mail in mail.outbox} == {baker.email}
    # The fourth visitor gets the same page as the others, and as for an unknown address.
    assert [answer["Location"] for answer in answers] == [RESET_DONE] * 4
    assert ask_for_a_reset(client, "nobody@example.org")["Location"] == RESET_DONE


def test_password_reset_mails_asked_from_one_client_are_limited(
    client, baker, florist, city_editor, django_user_model
):
    other = django_user_model.objects.create_user("autre", "autre@example.org", "secret")
    for user in (baker, florist, city_editor, other):
        assert ask_for_a_reset(client, user.email)["Location"] == RESET_DONE

    assert [message.to for message in mail.outbox] == [
        [baker.email],
        [florist.email],
        [city_editor.email],
    ]


def test_invitation_mails_to_an_address_are_limited(city_editor, shop_index):
    for number in range(4):
        application = MerchantApplication.objects.create(
            shop_name=f"Commerce {number}",
            contact_name="Julie Marchal",
            email="julie@fromagerie.example",
            street_address="Rue du Beffroi 14",
            postcode="7000",
            town="Valbourg",
            offers_pickup=True,
        )
        # From the second shop on, the city editor confirms the account of that address.
        applications.approve(
            application, city_editor, account=applications.existing_account(application)
        )

    invitations = Notification.objects.filter(template="merchants/invitation")
    assert invitations.count() == 3
    # The fourth shop is created and joined all the same: its merchant holds invitations.
    assert MerchantApplication.objects.filter(status="approved").count() == 4
