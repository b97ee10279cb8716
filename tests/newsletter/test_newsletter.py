"""The city's newsletter: written and previewed by the city, tested, then sent to the town's
news subscribers through the outbox in batches, pausable, once per address, with the
one-click unsubscribe of RFC 8058."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from newsletter import sending
from newsletter.models import Delivery, Newsletter
from notifications.models import Notification
from notifications.outbox import render_message
from subscriptions.links import absolute
from subscriptions.models import Subscriber, Subscription

from .. import builders, timetravel

pytestmark = pytest.mark.django_db

ISSUE = "newsletter/issue"
T0 = timetravel.instant("2027-05-03T08:00:00+00:00")


def subscriber(email, kind=Subscription.Kind.TOWN_NEWS, confirmed=True, **target):
    person, _created = Subscriber.objects.get_or_create(email=email, defaults={"language": "fr"})
    person.subscriptions.create(
        kind=kind,
        consent_text="Les nouvelles de la ville",
        confirmed_at=timezone.now() if confirmed else None,
        **target,
    )
    return person


@pytest.fixture
def newsletter():
    return Newsletter.objects.create(
        subject="La lettre de mai",
        body=[("text", "<p>Le marché de printemps revient.</p>")],
    )


@pytest.fixture
def five(settings):
    settings.PORTAL_NEWSLETTER_BATCH_SIZE = 2
    settings.PORTAL_NEWSLETTER_BATCH_INTERVAL = 300
    return [subscriber(f"habitant{n}@example.org") for n in range(5)]


def issues():
    return Notification.objects.filter(template=ISSUE)


def sent_to():
    return sorted(issues().values_list("to", flat=True))


def test_the_preview_is_the_email_as_written_in_the_editor(client, city_editor, newsletter):
    client.force_login(city_editor)
    url = reverse("wagtailsnippets_newsletter_newsletter:preview_on_edit", args=[newsletter.pk])
    data = nested_form_data(
        {
            "subject": "Brouillon de juin",
            "body": streamfield([("text", rich_text("<p>Fête de la musique</p>"))]),
        }
    )
    assert client.post(url, data).json()["is_valid"]

    html = client.get(url).content.decode()
    assert "Brouillon de juin" in html and "Fête de la musique" in html
    assert "/suivre/gerer/" in html
    text = client.get(url, {"mode": "text"}).content.decode()
    assert "Fête de la musique" in text and "<p>" not in text
    assert Notification.objects.count() == 0  # a preview sends nothing


def test_the_editor_leads_to_the_sending_page(client, city_editor, newsletter):
    client.force_login(city_editor)
    url = reverse("wagtailsnippets_newsletter_newsletter:edit", args=[newsletter.pk])

    assert reverse("newsletter_sending", args=[newsletter.pk]) in client.get(url).content.decode()


def test_the_plain_text_part_reads_as_typed():
    newsletter = Newsletter.objects.create(
        subject="Été", body=[("text", "<p>L&#x27;été &amp; ses marchés</p>")]
    )

    _html, text = sending.compose(newsletter)

    assert text == "L'été & ses marchés"


def test_the_editor_warns_that_changes_after_sending_starts_are_not_sent(
    client, city_editor, newsletter
):
    client.force_login(city_editor)
    url = reverse("wagtailsnippets_newsletter_newsletter:edit", args=[newsletter.pk])
    assert not list(client.get(url).context["messages"])

    sending.start(newsletter)

    [warning] = client.get(url).context["messages"]
    assert warning.level_tag == "warning"


def test_a_test_goes_to_the_editor_only_through_the_outbox(client, city_editor, newsletter, five):
    client.force_login(city_editor)
    url = reverse("newsletter_sending", args=[newsletter.pk])
    assert client.post(url, {"action": "test"}).status_code == 302

    [mail] = issues()
    assert mail.to == city_editor.email
    assert "Le marché de printemps revient." in render_message(mail).body
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.DRAFT


def test_the_sending_page_starts_pauses_and_resumes(client, city_editor, newsletter, five):
    client.force_login(city_editor)
    url = reverse("newsletter_sending", args=[newsletter.pk])
    assert client.get(url).context["recipients"] == 5

    for action, status in (
        ("start", Newsletter.Status.SENDING),
        ("pause", Newsletter.Status.PAUSED),
        ("resume", Newsletter.Status.SENDING),
    ):
        client.post(url, {"action": action})
        newsletter.refresh_from_db()
        assert newsletter.status == status
    assert issues().count() == 0  # the cron command sends, by batches


def test_batches_wait_for_the_interval_then_the_newsletter_is_sent(newsletter, five):
    sending.start(newsletter)

    assert sum(sending.send_due(T0).values()) == 2
    assert sum(sending.send_due(T0 + timedelta(seconds=299)).values()) == 0  # too soon
    assert sum(sending.send_due(T0 + timedelta(seconds=300)).values()) == 2
    assert sum(sending.send_due(T0 + timedelta(seconds=600)).values()) == 1
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.SENT
    assert sending.send_due(T0 + timedelta(seconds=900)) == {}
    assert sent_to() == sorted(person.email for person in five)


def test_only_confirmed_subscribers_of_the_towns_news_get_it(newsletter, bakery):
    subscriber("ville@example.org")
    subscriber("pas-confirme@example.org", confirmed=False)
    subscriber("boulangerie@example.org", kind=Subscription.Kind.SHOP, shop=bakery)
    sending.start(newsletter)

    sending.send_due(T0)

    assert sent_to() == ["ville@example.org"]


def test_a_paused_newsletter_sends_nothing_until_resumed(newsletter, five):
    sending.start(newsletter)
    sending.send_due(T0)
    assert sending.pause(newsletter)

    assert sum(sending.send_due(T0 + timedelta(hours=1)).values()) == 0
    assert issues().count() == 2

    assert sending.resume(newsletter)
    assert sum(sending.send_due(T0 + timedelta(hours=2)).values()) == 2
    assert issues().count() == 4


def test_never_twice_to_one_address_however_many_runs(settings, newsletter, five):
    settings.PORTAL_NEWSLETTER_BATCH_INTERVAL = 0
    settings.PORTAL_NEWSLETTER_BATCH_SIZE = 3
    sending.start(newsletter)
    # A run stopped after storing one address's delivery: that address is done.
    Delivery.objects.create(newsletter=newsletter, address_hash=sending.address_hash(five[0].email))

    for _run in range(4):
        call_command("send_newsletter")

    assert sent_to() == sorted(person.email for person in five[1:])
    assert newsletter.deliveries.count() == 5


def test_each_email_has_its_unsubscribe_links_and_headers(newsletter, five):
    sending.start(newsletter)
    sending.send_due(T0)

    mail = issues().get(to=five[0].email)
    message = render_message(mail)
    unsubscribe = mail.context["unsubscribe_url"]
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.context["manage_url"] in message.body
    assert mail.context["manage_url"] in message.alternatives[0].content
    assert Notification.objects.about(five[0].reference).get() == mail  # forgotten with them


def test_one_click_unsubscribe_needs_no_session_nor_csrf_token(newsletter, five, bakery):
    marie = five[0]
    subscriber(marie.email, kind=Subscription.Kind.SHOP, shop=bakery)
    sending.start(newsletter)
    sending.send_due(T0)
    url = urlsplit(issues().get(to=marie.email).context["unsubscribe_url"]).path
    mail_client = Client(enforce_csrf_checks=True)

    assert mail_client.get(url).status_code == 405
    response = mail_client.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert list(marie.subscriptions.values_list("kind", flat=True)) == ["shop"]
    assert mail_client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200


def test_one_click_unsubscribe_of_the_last_subscription_forgets_the_address(newsletter, five):
    sending.start(newsletter)
    sending.send_due(T0)
    url = urlsplit(issues().get(to=five[0].email).context["unsubscribe_url"]).path

    Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})

    assert not Subscriber.objects.filter(email=five[0].email).exists()


def test_an_altered_unsubscribe_link_stops_nothing(newsletter, five):
    url = reverse("newsletter:unsubscribe", args=["pas-un-jeton"])

    assert Client(enforce_csrf_checks=True).post(url).status_code == 400
    assert Subscription.objects.count() == 5


@pytest.mark.dated
def test_new_this_week_lists_the_products_of_the_last_seven_days(bakery, moment):
    with timetravel.travel(moment - timedelta(days=10)):
        builders.product(bakery, "Pain rassis")
    with timetravel.travel(moment - timedelta(days=3)):
        builders.product(bakery, "Galette des rois")
    newsletter = Newsletter.objects.create(
        subject="Nouveautés", body=[("new_this_week", {"heading": "Nouveau", "limit": 8})]
    )

    html, text = sending.compose(newsletter)

    assert "Galette des rois" in html and "Pain rassis" not in html
    assert "- Galette des rois (Boulangerie Dupont): http" in text


@pytest.mark.dated
def test_coming_events_lists_the_next_dates_of_the_days_ahead(moment):
    from ..events.builders import event

    today = timezone.localdate(moment)
    event("Marché de Noël", start_date=today + timedelta(days=5))
    event("Carnaval", start_date=today + timedelta(days=40))  # beyond the days ahead
    event("Brocante", start_date=today - timedelta(days=3))  # over
    newsletter = Newsletter.objects.create(
        subject="Agenda", body=[("coming_events", {"heading": "Agenda", "days": 14, "limit": 8})]
    )

    html, text = sending.compose(newsletter)

    assert "Marché de Noël" in html
    assert "Carnaval" not in html and "Brocante" not in html
    assert "- Marché de Noël (" in text and "/agenda/marche-de-noel/" in text


@pytest.mark.dated
def test_chosen_events_show_at_their_next_date_and_not_once_over(moment):
    from ..events.builders import event, saturday_market

    today = timezone.localdate(moment)
    market = saturday_market(start_date=today - timedelta(days=28))  # weekly, on today's weekday
    over = event("Brocante", start_date=today - timedelta(days=3))
    newsletter = Newsletter.objects.create(
        subject="Agenda",
        body=[("events", {"heading": "À ne pas manquer", "events": [over, market]})],
    )

    html, text = sending.compose(newsletter)

    assert "Marché du samedi" in html and "Brocante" not in html
    next_date = date_format(
        today if timezone.localtime(moment).hour < 13 else today + timedelta(days=7), "j F"
    )
    assert "- Marché du samedi (" in text and f" {next_date}, 08:00)" in text


@pytest.fixture
def with_links(bakery):
    return Newsletter.objects.create(
        subject="Liens",
        body=[
            (
                "text",
                '<p><a href="https://ville.example/marche?jour=1&amp;h=8">Le marché</a></p>',
            ),
            ("shops", {"heading": "À découvrir", "shops": [bakery]}),
        ],
    )


def test_links_lead_through_the_counting_redirect_to_the_newsletters_own(
    client, with_links, bakery, five
):
    sending.start(with_links)
    sending.send_due(T0)
    html = render_message(issues().first()).alternatives[0].content
    redirects = [
        urlsplit(url).path for url in re.findall(r'href="([^"]*/lettre/lien/[^"]*)"', html)
    ]

    targets = [client.get(url)["Location"] for url in redirects]
    client.get(redirects[0])

    assert targets == ["https://ville.example/marche?jour=1&h=8", absolute(bakery.url)]
    assert list(with_links.clicks.values_list("clicks", flat=True)) == [2, 1]
    assert "https://ville.example/marche" not in html  # every web link is counted


def test_the_counting_redirect_goes_nowhere_else(client, with_links):
    sending.start(with_links)
    forged = signing.dumps([with_links.pk, 7], salt="newsletter.link")
    elsewhere = signing.dumps("https://ailleurs.example/", salt="newsletter.link")

    for token in (forged, elsewhere, "ailleurs.example", forged + "x"):
        assert client.get(reverse("newsletter:link", args=[token])).status_code == 404


def test_the_preview_and_tests_link_straight_to_the_pages(bakery):
    newsletter = Newsletter.objects.create(
        subject="Liens",
        body=[("text", f'<p><a linktype="page" id="{bakery.pk}">La boulangerie</a></p>')],
    )

    html, _text = sending.compose(newsletter)

    # The rich text's own link to a page has the portal's host, as an e-mail needs.
    assert f'href="{absolute(bakery.url)}"' in html
    assert "/lettre/lien/" not in html


def test_a_newsletter_that_started_sending_is_kept_through_every_delete(
    client, city_editor, newsletter, five
):
    draft = Newsletter.objects.create(subject="Brouillon", body=[("text", "<p>…</p>")])
    sending.start(newsletter)
    client.force_login(city_editor)
    delete_url = reverse("wagtailsnippets_newsletter_newsletter:delete", args=[newsletter.pk])

    response = client.post(delete_url, follow=True)
    [message] = [m for m in response.context["messages"] if m.level_tag == "error"]
    assert "La lettre de mai" in str(message)
    bulk_url = (
        reverse("wagtail_bulk_action", args=["newsletter", "newsletter", "delete"])
        + f"?id={newsletter.pk}&id={draft.pk}"
    )
    client.post(bulk_url)

    # The draft went; the newsletter being sent stayed, and goes on being sent.
    assert list(Newsletter.objects.values_list("subject", flat=True)) == ["La lettre de mai"]
    sending.send_due(now=timezone.now())
    assert issues().count() == 2  # the first batch (PORTAL_NEWSLETTER_BATCH_SIZE)
