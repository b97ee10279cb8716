"""Nudges: the monthly report, the stale-shop reminder, the unanswered-request reminder and
the city's copy, each once per period, each with an opt-out link that works logged out;
stale shops sink in the list of shops; the home page shows the shops updated lately."""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site
from wagtail.users.models import UserProfile

from home.models import PortalSettings
from insights import nudges
from insights.models import DailyCount, Event, Nudge, NudgeKind, NudgeOptOut
from merchants.models import MerchantPage
from notifications.models import Notification
from notifications.outbox import render_message
from orders.models import OrderRequest, Status
from products.models import Product

from .. import builders, timetravel

pytestmark = pytest.mark.django_db

# The 1st of a month after the test's shops were created (see in_january_2030): the
# report is about February 2030, compared with January 2030.
REPORT_DAY = timezone.make_aware(datetime(2030, 3, 1, 9, 0))
FEBRUARY = date(2030, 2, 1)


@pytest.fixture(autouse=True)
def in_january_2030(request):
    """Shops, products and requests are created on 15 January 2030, whatever today is, so
    that the report of 1 March is about a month they were on the portal, and a shop left
    alone since is stale by then. The dated tests set their own moment."""
    if request.node.get_closest_marker("dated"):
        yield
        return
    with timetravel.travel("2030-01-15T10:00:00+00:00"):
        yield


def days_ago(days, now=None):
    return (now or timezone.now()) - timedelta(days=days)


def set_last_update(shop, when):
    """The shop page was last published, and its products last edited, at `when`."""
    MerchantPage.objects.filter(pk=shop.pk).update(last_published_at=when)
    Product.objects.filter(shop=shop).update(updated_at=when)


def received(order, when):
    OrderRequest.objects.filter(pk=order.pk).update(created_at=when)


def mails_to(address, template):
    return Notification.objects.filter(to=address, template=template)


def count(shop, event, day, n, product=None):
    DailyCount.objects.create(shop=shop, event=event, day=day, count=n, product=product)


@pytest.fixture
def city_contact(home):
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.contact_email = "commerce@valbourg.example"
    settings.save()
    return settings.contact_email


# The monthly report


def test_the_monthly_report_gives_last_months_numbers_against_the_month_before(bakery):
    baguette = builders.product(bakery, "Baguette", image=builders.make_image())
    count(bakery, Event.VIEW, date(2030, 2, 3), 40)
    count(bakery, Event.VIEW, date(2030, 2, 27), 5, product=baguette)  # a product page counts
    count(bakery, Event.VIEW, date(2030, 1, 15), 30)
    count(bakery, Event.CALL, date(2030, 2, 10), 3)
    count(bakery, Event.DIRECTIONS, date(2030, 2, 11), 2)
    count(bakery, Event.SHARE, date(2030, 1, 11), 1)
    count(bakery, Event.VIEW, date(2030, 3, 1), 99)  # this month: not in the report
    answered = builders.order_request(bakery, status=Status.ACCEPTED)
    waiting = builders.order_request(bakery)
    withdrawn = builders.order_request(bakery, status=Status.CANCELLED)
    in_january = builders.order_request(bakery, status=Status.COMPLETED)
    for order in (answered, waiting, withdrawn):
        received(order, timezone.make_aware(datetime(2030, 2, 14, 10)))
    received(in_january, timezone.make_aware(datetime(2030, 1, 31, 23, 30)))

    assert nudges.send_due(REPORT_DAY)[NudgeKind.MONTHLY_REPORT] == 1

    mail = mails_to(bakery.order_email, "insights/monthly_report").get()
    assert mail.language == "fr"
    assert mail.context["month"] == "février 2030"
    assert mail.context["month_before"] == "janvier 2030"
    assert mail.context["numbers"] == {
        "views": 45,
        "views_before": 30,
        "intents": 5,
        "intents_before": 1,
        "received": 3,
        "answered": 1,  # a cancellation by the resident is no answer
    }
    assert Nudge.objects.get(shop=bakery, kind=NudgeKind.MONTHLY_REPORT).period == "2030-02"


def test_the_monthly_report_goes_once_per_month(bakery):
    nudges.send_due(REPORT_DAY)
    later_that_day = REPORT_DAY + timedelta(hours=5)

    assert nudges.send_due(later_that_day)[NudgeKind.MONTHLY_REPORT] == 0
    assert mails_to(bakery.order_email, "insights/monthly_report").count() == 1
    # The next month, the next report.
    assert nudges.send_due(REPORT_DAY.replace(month=4))[NudgeKind.MONTHLY_REPORT] == 1


def test_a_run_that_lost_the_race_sends_nothing(bakery):
    """Two senders computed the same report: the unique row lets only one through."""
    (mail,) = nudges.monthly_reports(REPORT_DAY)
    assert nudges.send(mail) is True
    assert nudges.send(mail) is False
    assert mails_to(bakery.order_email, "insights/monthly_report").count() == 1


def test_no_report_about_a_month_before_the_shop_was_on_the_portal(bakery):
    MerchantPage.objects.filter(pk=bakery.pk).update(
        first_published_at=timezone.make_aware(datetime(2030, 3, 1, 8))
    )
    assert nudges.send_due(REPORT_DAY)[NudgeKind.MONTHLY_REPORT] == 0


def test_unpublished_shops_get_no_report(bakery):
    bakery.unpublish()
    assert nudges.send_due(REPORT_DAY)[NudgeKind.MONTHLY_REPORT] == 0


def test_the_report_is_in_the_language_a_member_chose(bakery, baker):
    profile = UserProfile.get_for_user(baker)
    profile.preferred_language = "en"
    profile.save()

    nudges.send_due(REPORT_DAY)

    mail = mails_to(bakery.order_email, "insights/monthly_report").get()
    assert mail.language == "en"
    assert mail.context["month"] == "February 2030"
    message = render_message(mail)
    assert message.subject == "Boulangerie Dupont: your numbers for February 2030"
    assert mail.context["opt_out_url"] in message.body
    assert mail.context["opt_out_url"] in message.alternatives[0][0]


def test_shop_mails_go_to_the_order_e_mail_where_requests_arrive(bakery, baker):
    assert nudges.shop_addresses(bakery) == ["commandes@boulangerie-dupont.example"]
    MerchantPage.objects.filter(pk=bakery.pk).update(order_email="")
    bakery.refresh_from_db()
    assert nudges.shop_addresses(bakery) == [baker.email]  # the members, failing that


# The suggestion


def test_a_shop_without_opening_hours_is_asked_to_fill_them_in_first(home):
    shop = builders.shop("Sans horaires", hours=None)
    builders.product(shop)  # no photo either: the hours come first
    tip = nudges.suggestion(shop)
    assert tip["kind"] == "hours"
    assert tip["url"].endswith(f"/admin/pages/{shop.pk}/edit/")


def test_a_shop_without_products_is_asked_to_add_one(bakery):
    builders.product(bakery, is_active=False)  # a hidden product is none to residents
    assert nudges.suggestion(bakery)["kind"] == "first_product"


def test_products_without_photos_are_counted(bakery):
    builders.product(bakery, "Avec photo", image=builders.make_image())
    builders.product(bakery, "Pain gris")
    builders.product(bakery, "Pain blanc")
    tip = nudges.suggestion(bakery)
    assert tip["kind"] == "photos"
    assert tip["count"] == 2
    assert tip["product"] in {"Pain gris", "Pain blanc"}


def test_the_product_left_alone_longest_is_to_update(bakery):
    image = builders.make_image()
    old = builders.product(bakery, "Cramique", image=image)
    builders.product(bakery, "Baguette", image=image)
    Product.objects.filter(pk=old.pk).update(updated_at=days_ago(45))
    tip = nudges.suggestion(bakery)
    assert (tip["kind"], tip["product"], tip["days"]) == ("update_product", "Cramique", 45)


def test_a_complete_and_fresh_shop_is_told_to_keep_it_up(bakery):
    builders.product(bakery, "Baguette", image=builders.make_image())
    Product.objects.filter(shop=bakery).update(updated_at=days_ago(29))
    assert nudges.suggestion(bakery) == {"kind": "keep_up"}


# The stale shop


@pytest.mark.dated
def test_a_shop_not_updated_for_30_days_is_reminded_once(bakery, flower_shop):
    set_last_update(bakery, days_ago(31))
    builders.product(flower_shop)
    set_last_update(flower_shop, days_ago(45))
    Product.objects.filter(shop=flower_shop).update(updated_at=days_ago(2))  # a product edit

    assert nudges.send_due()[NudgeKind.STALE_SHOP] == 1
    assert nudges.send_due()[NudgeKind.STALE_SHOP] == 0

    mail = mails_to(bakery.order_email, "insights/stale_shop").get()
    assert mail.context["days"] == 31
    assert not mails_to(flower_shop.order_email, "insights/stale_shop").exists()


@pytest.mark.dated
def test_a_shop_updated_29_days_ago_is_not_reminded(bakery):
    set_last_update(bakery, days_ago(29))
    assert nudges.send_due()[NudgeKind.STALE_SHOP] == 0


@pytest.mark.dated
def test_a_shop_still_stale_30_days_later_is_reminded_again(bakery):
    last_update = days_ago(31)
    set_last_update(bakery, last_update)
    nudges.send_due()

    assert nudges.send_due(timezone.now() + timedelta(days=10))[NudgeKind.STALE_SHOP] == 0
    assert nudges.send_due(timezone.now() + timedelta(days=30))[NudgeKind.STALE_SHOP] == 1
    periods = set(Nudge.objects.filter(kind=NudgeKind.STALE_SHOP).values_list("period", flat=True))
    day = timezone.localdate(last_update)
    assert periods == {f"{day:%Y-%m-%d}/30d", f"{day:%Y-%m-%d}/60d"}


# Unanswered requests


@pytest.mark.dated
def test_a_request_new_after_24_hours_is_reminded_to_the_shop_once(bakery):
    order = builders.order_request(bakery)
    received(order, days_ago(1) - timedelta(minutes=1))
    fresh = builders.order_request(bakery)
    received(fresh, days_ago(1) + timedelta(minutes=5))

    assert nudges.send_due()[NudgeKind.UNANSWERED] == 1
    assert nudges.send_due()[NudgeKind.UNANSWERED] == 0

    mail = mails_to(bakery.order_email, "insights/unanswered").get()
    assert [item["reference"] for item in mail.context["items"]] == [order.reference]
    # Named after the request: its page lists the reminder, its anonymisation finds it.
    assert mail.reference == order.reference


@pytest.mark.dated
def test_several_waiting_requests_make_one_reminder(bakery):
    first, second = builders.order_request(bakery), builders.order_request(bakery)
    received(first, days_ago(3))
    received(second, days_ago(2))
    nudges.send_due()
    mail = mails_to(bakery.order_email, "insights/unanswered").get()
    assert [item["reference"] for item in mail.context["items"]] == [
        first.reference,
        second.reference,
    ]


@pytest.mark.dated
def test_answered_requests_and_long_forgotten_ones_are_not_reminded(bakery):
    answered = builders.order_request(bakery, status=Status.ACCEPTED)
    received(answered, days_ago(2))
    forgotten = builders.order_request(bakery)
    received(forgotten, days_ago(8))
    counts = nudges.send_due()
    assert counts[NudgeKind.UNANSWERED] == counts[NudgeKind.UNANSWERED_CITY] == 0


@pytest.mark.dated
def test_the_city_gets_a_copy_after_48_hours(bakery, city_contact):
    order = builders.order_request(bakery, name="Marie Dubois")
    received(order, days_ago(1, timezone.now()) - timedelta(hours=2))
    assert nudges.send_due()[NudgeKind.UNANSWERED_CITY] == 0  # 26 hours: the shop only

    later = timezone.now() + timedelta(hours=23)
    assert nudges.send_due(later)[NudgeKind.UNANSWERED_CITY] == 1
    assert nudges.send_due(later + timedelta(hours=1))[NudgeKind.UNANSWERED_CITY] == 0

    copy = mails_to(city_contact, "insights/unanswered_city").get()
    assert copy.context["items"][0]["reference"] == order.reference
    assert "Marie Dubois" not in str(copy.context)  # the city needs no resident's data
    assert mails_to(bakery.order_email, "insights/unanswered").count() == 1


@pytest.mark.dated
def test_without_a_contact_address_the_city_editors_get_the_copy(bakery, city_editor):
    received(builders.order_request(bakery), days_ago(3))
    nudges.send_due()
    assert mails_to(city_editor.email, "insights/unanswered_city").count() == 1


# Opting out


def opt_out_url(mail):
    return mail.context["opt_out_url"].removeprefix("http://testserver")


def test_the_opt_out_link_asks_before_it_acts_and_works_logged_out(bakery, flower_shop):
    nudges.send_due(REPORT_DAY)
    url = opt_out_url(mails_to(bakery.order_email, "insights/monthly_report").get())
    resident = Client(enforce_csrf_checks=True)  # no log-in; the CSRF check as in real life

    page = resident.get(url)  # what a link scanner does: nothing changes

    assert page.status_code == 200
    assert b'<form method="post"' in page.content
    assert not NudgeOptOut.objects.exists()

    token = page.cookies["csrftoken"].value
    done = resident.post(url, {"csrfmiddlewaretoken": token}, follow=True)

    assert done.status_code == 200
    assert done.templates[0].name == "insights/opt_out_done.html"
    assert list(NudgeOptOut.objects.values_list("shop_id", "kind")) == [
        (bakery.pk, NudgeKind.MONTHLY_REPORT)
    ]


def test_opting_out_stops_that_kind_only(bakery, client):
    nudges.send_due(REPORT_DAY)
    client.post(opt_out_url(mails_to(bakery.order_email, "insights/monthly_report").get()))
    set_last_update(bakery, days_ago(40, REPORT_DAY))

    counts = nudges.send_due(REPORT_DAY.replace(month=4))

    assert counts[NudgeKind.MONTHLY_REPORT] == 0
    assert counts[NudgeKind.STALE_SHOP] == 1


def test_a_shop_that_opted_out_of_reminders_is_still_copied_to_the_city(bakery, city_contact):
    NudgeOptOut.objects.create(shop=bakery, kind=NudgeKind.UNANSWERED)
    received(builders.order_request(bakery), days_ago(3))
    counts = nudges.send_due()
    assert counts[NudgeKind.UNANSWERED] == 0
    assert counts[NudgeKind.UNANSWERED_CITY] == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_token_is_refused(client, bakery, flower_shop, method):
    token = nudges.opt_out_token(bakery, NudgeKind.MONTHLY_REPORT)
    value, signature = token.rsplit(":", 1)
    forged_for_another_shop = signing.dumps([flower_shop.pk, "monthly_report"], salt="other")
    for bad in (
        f"{value}:{signature[:-2]}xx",
        forged_for_another_shop,
        signing.dumps([bakery.pk, "not_a_kind"], salt=nudges.OPT_OUT_SALT),
        "nothing",
    ):
        response = getattr(client, method)(reverse("insights:opt_out", args=[bad]))
        assert response.status_code == 404, bad
    assert not NudgeOptOut.objects.exists()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_nudge_renders_its_text_and_html_with_the_opt_out_link(
    bakery, city_contact, language
):
    builders.product(bakery, "Pain gris")
    builders.product(bakery, "Pain blanc")
    received(builders.order_request(bakery), REPORT_DAY - timedelta(days=3))
    nudges.send_due(REPORT_DAY)  # the report, the stale shop, the reminder, the copy
    mails = Notification.objects.filter(template__startswith="insights/")
    assert sorted(mails.values_list("template", flat=True)) == [
        "insights/monthly_report",
        "insights/stale_shop",
        "insights/unanswered",
        "insights/unanswered_city",
    ]
    for mail in mails:
        mail.language = language
        message = render_message(mail)
        parts = [message.body] + [content for content, _type in message.alternatives]
        assert message.subject.strip()
        for part in parts:
            assert mail.context["opt_out_url"] in part, mail.template
            assert "{" not in part, mail.template  # no template syntax left over


@pytest.mark.dated
def test_the_send_nudges_command_stores_what_is_due(bakery, capsys):
    received(builders.order_request(bakery), days_ago(2))
    call_command("send_nudges")
    assert "unanswered: 1" in capsys.readouterr().out
    assert mails_to(bakery.order_email, "insights/unanswered").count() == 1


# Stale shops sink, lively shops show


@pytest.mark.dated
def test_stale_shops_come_after_the_active_ones(client, bakery, flower_shop):
    aardvark = builders.shop("Aardvark Antiquités")
    set_last_update(aardvark, days_ago(60))
    set_last_update(bakery, days_ago(40))

    response = client.get(builders.shop_index().url)

    titles = [shop.title for shop in response.context["shops"]]
    assert titles == ["Fleurs de Lys", "Aardvark Antiquités", "Boulangerie Dupont"]


@pytest.mark.dated
def test_the_home_page_lists_the_shops_updated_lately(client, bakery, flower_shop):
    hidden = builders.shop("Boutique Privée")
    PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    set_last_update(bakery, days_ago(40))  # stale: not "lately"
    set_last_update(flower_shop, days_ago(1))

    page = client.get("/").content.decode()
    recent = re.search(r'<ul class="plain-list recent-shops".*?</ul>', page, re.S).group()

    assert "Fleurs de Lys" in recent
    assert "Boulangerie Dupont" not in recent
    assert "Boutique Privée" not in page


def test_a_private_section_hides_its_shops_from_the_home_page_lists(bakery, flower_shop):
    from merchants.templatetags.merchant_tags import public_shops

    PageViewRestriction.objects.create(
        page=flower_shop, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert list(public_shops()) == [bakery]
    PageViewRestriction.objects.create(
        page=builders.shop_index(), restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert not public_shops().exists()


def test_report_time_is_local_midnight(bakery):
    """The month ends at midnight in the town, not in UTC."""
    order = builders.order_request(bakery)
    received(order, timezone.make_aware(datetime.combine(FEBRUARY, time.min)))
    assert nudges.month_numbers(bakery, FEBRUARY)["received"] == 1
