"""Follow a shop, a category or the town's news: double opt-in, abuse limits, the manage
link and forgetting the address."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import signing
from django.urls import reverse

from notifications.models import Notification
from subscriptions.digest import send_digests
from subscriptions.models import Subscriber, Subscription

from .. import builders, timetravel
from .conftest import MARIE, confirm, follow, mails_to, path

pytestmark = pytest.mark.django_db


def test_following_a_shop_sends_only_a_confirmation_until_it_is_confirmed(client, bakery):
    response = follow(client, "shop", bakery)

    assert response.status_code == 302 and response.url == reverse("subscriptions:asked")
    [mail] = mails_to()
    assert mail.template == "subscriptions/confirm"
    subscription = Subscription.objects.get()
    assert subscription.shop_id == bakery.pk and subscription.confirmed_at is None
    # Something new at the shop: still nothing for an address that has not confirmed.
    builders.product(bakery, "Galette des rois")
    send_digests(now=subscription.asked_at + timedelta(days=8))
    assert mails_to().count() == 1


def test_the_confirmation_link_starts_the_subscription_and_records_the_consent(client, bakery):
    follow(client, "shop", bakery)
    link = path(mails_to().get().context["confirm_url"])

    page = client.get(link)
    assert page.status_code == 200
    assert Subscription.objects.get().confirmed_at is None  # opening the link is not enough

    response = client.post(link)

    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is not None
    assert "Boulangerie Dupont" in subscription.consent_text
    assert "at most one e-mail a week" in subscription.consent_text.lower() or (
        "au plus un e-mail par semaine" in subscription.consent_text.lower()
    )
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200  # the manage page


@pytest.mark.parametrize("mangle", ["altered", "garbage"])
def test_a_bad_confirmation_link_shows_a_clear_page(client, bakery, mangle):
    follow(client, "shop", bakery)
    link = path(mails_to().get().context["confirm_url"])
    bad = link[:-3] + "xx/" if mangle == "altered" else "/suivre/confirmer/n'importe-quoi/"

    for response in (client.get(bad), client.post(bad)):
        assert response.status_code == 404
        assert b"This link no longer works" in response.content or "ne fonctionne plus" in (
            response.content.decode()
        )
    assert Subscription.objects.get().confirmed_at is None


@pytest.mark.dated
def test_an_expired_confirmation_link_shows_a_clear_page(client, bakery, moment):
    follow(client, "shop", bakery)
    link = path(mails_to().get().context["confirm_url"])

    with timetravel.travel(moment + timedelta(days=8)):
        response = client.post(link)

    assert response.status_code == 404
    assert Subscription.objects.get().confirmed_at is None


def test_following_twice_answers_the_same_and_keeps_one_subscription(client, bakery):
    first = follow(client, "shop", bakery)
    confirm(client)
    second = follow(client, "shop", bakery, email="  Marie@Example.org ")

    assert first.url == second.url == reverse("subscriptions:asked")
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is not None  # a new form does not unconfirm
    assert Subscriber.objects.get().email == MARIE


def test_a_category_and_the_towns_news_can_be_followed(client, bakery):
    bread = bakery.categories.get()

    follow(client, "category", bread)
    follow(client, "town_news")

    assert set(Subscription.objects.values_list("kind", "category_id")) == {
        ("category", bread.pk),
        ("town_news", None),
    }


def test_a_bad_address_is_shown_next_to_the_field_and_kept(client, bakery):
    response = follow(client, "shop", bakery, email="marie@")

    assert response.status_code == 400
    assert 'value="marie@"' in response.content.decode()
    assert 'id="id_email-error"' in response.content.decode()
    assert not Subscriber.objects.exists() and not Notification.objects.exists()


@pytest.mark.parametrize("target", ["unpublished", "unknown", "huge"])
def test_a_target_that_cannot_be_followed_is_refused_clearly(client, bakery, target):
    if target == "unpublished":
        bakery.unpublish()
        response = follow(client, "shop", bakery)
    else:
        missing = SimpleNamespace(pk=2**70 if target == "huge" else 99999)
        response = follow(client, "shop", missing)

    assert response.status_code == 400
    assert not Subscription.objects.exists()


def test_the_honeypot_gets_the_same_answer_and_nothing_is_sent(client, bakery):
    response = follow(client, "shop", bakery, website="http://spam.example")

    assert response.url == reverse("subscriptions:asked")
    assert not Subscriber.objects.exists() and not Notification.objects.exists()


def test_an_address_gets_a_few_confirmations_a_day_whoever_asks(client, bakery, settings):
    for number in range(8):
        response = follow(client, "shop", bakery, meta={"REMOTE_ADDR": f"10.0.0.{number}"})
        assert response.url == reverse("subscriptions:asked")  # always the same answer

    assert mails_to().count() == 5


def test_a_client_is_limited_whatever_the_addresses(client, bakery):
    for number in range(10):
        assert follow(client, "shop", bakery, email=f"r{number}@example.org").status_code == 302

    response = follow(client, "shop", bakery, email="r10@example.org")

    assert response.status_code == 400
    assert not mails_to("r10@example.org").exists()


def test_the_manage_link_lists_and_stops_one_at_once(client, bakery, flower_shop):
    follow(client, "shop", bakery)
    follow(client, "shop", flower_shop)
    confirm(client)
    manage = path(mails_to().first().context["manage_url"])

    page = client.get(manage)
    assert "Boulangerie Dupont" in page.content.decode()
    assert "Fleurs de Lys" in page.content.decode()
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]

    bakery_subscription = Subscription.objects.get(shop=bakery)
    response = client.post(manage, {"stop": bakery_subscription.pk})

    assert response.status_code == 302
    assert list(Subscription.objects.values_list("shop_id", flat=True)) == [flower_shop.pk]
    after = client.get(response.url).content.decode()
    assert "Arrêté : Boulangerie Dupont." in after


def test_stopping_the_last_subscription_forgets_the_address(client, bakery, flower_shop):
    follow(client, "shop", bakery)
    follow(client, "shop", flower_shop)
    confirm(client)
    manage = path(mails_to().first().context["manage_url"])
    assert Notification.objects.filter(to=MARIE).exists()

    response = client.post(manage, {"stop_all": "1"})

    assert response.url == reverse("subscriptions:forgotten")
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()
    # The outbox keeps no trace of the address either, and the old link is dead.
    assert not Notification.objects.filter(to__icontains="marie").exists()
    assert not Notification.objects.exclude(context={}).exists()
    assert client.get(manage).status_code == 404


def test_a_stranger_cannot_stop_someone_elses_subscription(client, bakery):
    follow(client, "shop", bakery)
    follow(client, "shop", bakery, email="paul@example.org")
    pauls = Subscription.objects.get(subscriber__email="paul@example.org")
    manage = path(mails_to().first().context["manage_url"])

    client.post(manage, {"stop": pauls.pk})
    forged = signing.dumps("0" * 32, salt="wrong")

    assert Subscription.objects.filter(pk=pauls.pk).exists()
    assert client.get(reverse("subscriptions:manage", args=[forged])).status_code == 404


def test_unconfirmed_subscriptions_are_forgotten_once_their_link_expired(client, bakery):
    from subscriptions.lifecycle import forget_unconfirmed

    follow(client, "shop", bakery)
    asked_at = Subscription.objects.get().asked_at

    assert forget_unconfirmed(now=asked_at + timedelta(days=6)) == 0
    assert forget_unconfirmed(now=asked_at + timedelta(days=8)) == 1
    assert not Subscriber.objects.exists()
