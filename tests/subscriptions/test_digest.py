"""The weekly digest: one e-mail per subscriber for every shop and category followed, only
when there is something new, at most once a week."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from products.models import Availability, Product
from subscriptions import digest
from subscriptions.models import Subscriber

from .. import builders, timetravel
from .conftest import confirm, follow, mails_to

pytestmark = pytest.mark.django_db

DIGEST = "subscriptions/digest"


def digests(email="marie@example.org"):
    return mails_to(email, DIGEST)


def names(mail):
    return [item["name"] for section in mail.context["sections"] for item in section["items"]]


@pytest.fixture
def follows_two_shops(client, bakery, flower_shop):
    follow(client, "shop", bakery)
    follow(client, "shop", flower_shop)
    confirm(client)
    confirm_all(client)


def confirm_all(client):
    from subscriptions.models import Subscription

    Subscription.objects.filter(confirmed_at=None).update(confirmed_at=timezone.now())


@pytest.mark.dated
def test_one_email_for_several_shops_then_nothing_before_a_week(
    client, follows_two_shops, bakery, flower_shop, moment
):
    builders.product(bakery, "Galette des rois")
    builders.product(flower_shop, "Bouquet de tulipes")
    builders.product(builders.shop("Boucherie"), "Saucisse")  # not followed

    with timetravel.travel(moment + timedelta(days=7)):
        assert digest.send_digests() == 1
    [mail] = digests()
    assert sorted(names(mail)) == ["Bouquet de tulipes", "Galette des rois"]
    assert mail.context["manage_url"]

    with timetravel.travel(moment + timedelta(days=9)):
        builders.product(bakery, "Pain d'épices")
    with timetravel.travel(moment + timedelta(days=10)):
        assert digest.send_digests() == 0  # three days later: not yet
    with timetravel.travel(moment + timedelta(days=14)):
        assert digest.send_digests() == 1
    assert names(digests().last()) == ["Pain d'épices"]


def test_nothing_new_sends_nothing(follows_two_shops):
    assert digest.send_digests(now=timezone.now() + timedelta(days=7)) == 0
    assert not digests().exists()


def test_back_in_stock_and_a_followed_category(client, bakery):
    bread = builders.product(bakery, "Cramique", availability=Availability.OUT_OF_STOCK)
    other_bakery = builders.shop("Au bon pain", categories=[bakery.categories.get()])
    follow(client, "category", bakery.categories.get())
    confirm(client)
    later = timezone.now() + timedelta(minutes=1)

    Product.objects.filter(pk=bread.pk).set_availability(Availability.IN_STOCK)
    builders.product(other_bakery, "Pain au levain")

    assert digest.send_digests(now=later + timedelta(days=7)) == 1
    titles = {
        section["title"]: [item["name"] for item in section["items"]]
        for section in digests().get().context["sections"]
    }
    assert sorted(titles.values()) == [["Cramique"], ["Pain au levain"]]


def test_the_command_sends_the_digests(follows_two_shops, bakery):
    builders.product(bakery, "Galette des rois")
    with timetravel.travel(timezone.now() + timedelta(days=7)):
        call_command("send_digests", stdout=open("/dev/null", "w"))

    assert digests().count() == 1


def test_sections_come_from_every_registered_provider(follows_two_shops, monkeypatch):
    from wagtail import hooks

    def news(follows, since, until):
        return digest.Section("Nouvelles", [digest.Item("Arrivage de truffes", "https://x/")])

    monkeypatch.setitem(hooks._hooks, digest.HOOK, [*hooks._hooks[digest.HOOK], (news, 30)])

    assert digest.send_digests(now=timezone.now() + timedelta(days=7)) == 1
    assert names(digests().get()) == ["Arrivage de truffes"]
    assert Subscriber.objects.get().digest_sent_at is not None


def test_the_command_forgets_the_addresses_a_deleted_shop_leaves_with_nothing(client, bakery):
    follow(client, "shop", bakery)
    confirm(client)
    bakery.delete()
    assert Subscriber.objects.exists()

    call_command("send_digests", verbosity=0)

    assert not Subscriber.objects.exists()


def test_the_digest_renders_as_text_and_html_with_its_manage_link(follows_two_shops, bakery):
    from notifications.outbox import render_message

    builders.product(bakery, "Galette <des> rois")
    digest.send_digests(now=timezone.now() + timedelta(days=7))
    mail = digests().get()

    message = render_message(mail)

    html = message.alternatives[0][0]
    assert "Galette <des> rois" in message.body and "Galette &lt;des&gt; rois" in html
    assert mail.context["manage_url"] in message.body and mail.context["manage_url"] in html


def digest_queries(client, shops, products_per_shop):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from subscriptions.models import Subscription

    for shop in shops:
        follow(client, "shop", shop)
    Subscription.objects.update(confirmed_at=timezone.now() - timedelta(days=8))
    for shop in shops:
        for _ in range(products_per_shop):
            builders.product(shop)
    with CaptureQueriesContext(connection) as queries:
        assert digest.send_digests(now=timezone.now() + timedelta(days=1)) == 1
    return len(queries)


def test_a_digest_reads_the_same_for_one_shop_or_many(client):
    one = digest_queries(client, [builders.shop()], 1)
    Subscriber.objects.all().delete()
    many = digest_queries(client, [builders.shop() for _ in range(5)], 4)

    assert many == one


@pytest.mark.dated
def test_news_of_a_followed_shop_and_its_events_are_in_the_digest(
    client, follows_two_shops, bakery, moment
):
    from news.models import NewsItem

    from ..events.builders import event

    NewsItem.objects.create(shop=bakery, text="Arrivage de truffes samedi")
    NewsItem.objects.create(shop=builders.shop("Boucherie"), text="Fermé lundi")  # not followed
    NewsItem.objects.create(shop=bakery, text="Caché par la ville", hidden_at=moment)
    soon = timezone.localdate(moment) + timedelta(days=10)
    event("Soirée des commerçants", start_date=soon, shops=[bakery])
    event("Brocante", start_date=soon)  # no shop followed takes part
    event("Fête d'hiver", start_date=soon + timedelta(days=30), shops=[bakery])  # not yet

    with timetravel.travel(moment + timedelta(days=7)):
        assert digest.send_digests() == 1
    sections = {
        s["title"]: [i["name"] for i in s["items"]] for s in digests()[0].context["sections"]
    }
    assert sections["Nouvelles des commerces que vous suivez"] == ["Arrivage de truffes samedi"]
    assert sections["Prochains événements"] == ["Soirée des commerçants"]


def test_a_long_section_lists_its_first_items_and_says_how_many_more(
    client, follows_two_shops, bakery, monkeypatch
):
    from notifications.outbox import render_message

    monkeypatch.setattr(digest, "ITEMS_PER_SECTION", 3)
    monkeypatch.setattr("subscriptions.sections.ITEMS_PER_SECTION", 3)
    for number in range(5):
        builders.product(bakery, f"Pain numéro {number}")
    digest.send_digests(now=timezone.now() + timedelta(days=7))
    mail = digests().get()
    [section] = mail.context["sections"]
    assert len(section["items"]) == 3 and section["more"] == 2
    message = render_message(mail)
    assert "… et 2 autres sur le portail." in message.body
    assert "… et 2 autres sur le portail." in message.alternatives[0][0]


def test_a_section_that_fits_says_nothing_more(client, follows_two_shops, bakery):
    from notifications.outbox import render_message

    builders.product(bakery, "Galette des rois")
    digest.send_digests(now=timezone.now() + timedelta(days=7))
    mail = digests().get()
    assert mail.context["sections"][0]["more"] == 0
    assert "sur le portail." not in render_message(mail).body
