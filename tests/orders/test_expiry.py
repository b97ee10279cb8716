"""Requests nobody answered expire: when, once, and who is told (orders.expiry)."""

import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from merchants.models import MerchantPage, OpeningHours
from notifications.models import Notification
from notifications.outbox import render_message
from orders import transitions
from orders.expiry import due, expire_due
from orders.models import OrderRequest, Status, StatusChange

from .. import builders, timetravel
from ..builders import order_request

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")


def local(*args):
    return datetime(*args, tzinfo=BRUSSELS)


def sent_at(shop, moment, **fields):
    """A request to `shop` sent at `moment`."""
    order = order_request(shop, **fields)
    OrderRequest.objects.filter(pk=order.pk).update(created_at=moment)
    order.refresh_from_db()
    return order


def expire_requests():
    out = io.StringIO()
    call_command("expire_requests", stdout=out)
    return out.getvalue()


@pytest.fixture
def phone(bakery):
    MerchantPage.objects.filter(pk=bakery.pk).update(phone="065 12 34 56")
    bakery.refresh_from_db()
    return bakery.phone


def test_a_request_expires_after_the_hours_once_the_shop_had_a_whole_day(bakery):
    # Monday 14 June 2027, 10:00: Tuesday is the whole day; 72 hours is Thursday 10:00.
    order = sent_at(bakery, local(2027, 6, 14, 10))
    answered = sent_at(bakery, local(2027, 6, 14, 10))
    transitions.decline(answered, None, reason="Fermé")
    assert due(local(2027, 6, 17, 9, 59)) == []
    assert due(local(2027, 6, 17, 10)) == [order]


def test_the_threshold_is_a_setting(bakery, settings):
    settings.PORTAL_REQUEST_EXPIRES_AFTER_HOURS = 24
    order = sent_at(bakery, local(2027, 6, 14, 8))  # before Monday's opening: Monday counts
    assert due(local(2027, 6, 15, 7, 59)) == []
    assert due(local(2027, 6, 15, 8)) == [order]


def test_a_shop_closed_for_its_holidays_gets_its_whole_day_first(bakery):
    # Closed Tuesday to Friday: Saturday 19 June is the first whole day, until 18:30.
    builders.closure(bakery, date(2027, 6, 15), date(2027, 6, 18), "Congés")
    order = sent_at(bakery, local(2027, 6, 14, 10))
    assert due(local(2027, 6, 19, 18, 29)) == []
    assert due(local(2027, 6, 19, 18, 30)) == [order]


def test_a_whole_night_open_over_the_spring_change_counts_as_the_clock_says(bakery, settings):
    # Open on Saturday nights only, 22:00 to 04:00: on 27-28 March 2027 the clock jumps at
    # 02:00, and the night ends at 04:00 CEST, 02:00 UTC, five real hours after it opened.
    settings.PORTAL_REQUEST_EXPIRES_AFTER_HOURS = 24
    OpeningHours.objects.filter(shop=bakery).delete()
    OpeningHours.objects.create(shop=bakery, weekday=5, opens="22:00", closes="04:00")
    order = sent_at(bakery, local(2027, 3, 26, 12))
    assert due(datetime(2027, 3, 28, 1, 59, tzinfo=UTC)) == []
    assert due(datetime(2027, 3, 28, 2, tzinfo=UTC)) == [order]


@pytest.mark.dated
def test_the_command_expires_once_and_mails_the_resident_and_the_shop_once(
    bakery, phone, django_capture_on_commit_callbacks
):
    order = sent_at(bakery, timezone.now() - timedelta(days=10))
    recent = order_request(bakery)
    with django_capture_on_commit_callbacks(execute=True):
        assert "expired 1 request(s)" in expire_requests()
        assert "expired 0 request(s)" in expire_requests()

    order.refresh_from_db()
    recent.refresh_from_db()
    assert (order.status, recent.status) == (Status.EXPIRED, Status.NEW)
    change = StatusChange.objects.get(request=order, status=Status.EXPIRED)
    assert change.by is None
    mails = Notification.objects.about(order.reference).order_by("template")
    assert [(mail.template, mail.to) for mail in mails] == [
        ("orders/request_expired_shop", bakery.order_email),
        ("orders/status_expired", order.email),
    ]
    assert all(mail.sent_at for mail in mails)
    # An expired request is closed: the shop can no longer answer it.
    assert transitions.allowed_actions(order) == ()


def test_the_residents_mail_gives_the_shops_phone_and_similar_shops_taking_requests(
    bakery, phone, flower_shop
):
    bread = bakery.categories.get()
    other = builders.shop("Au Bon Pain", categories=[bread], phone="065 99 88 77")
    builders.shop("Pain Caché", categories=[bread], publish=False)
    builders.shop("Pain en Pause", categories=[bread], requests_paused_until=date(2999, 1, 1))
    order = sent_at(bakery, local(2027, 6, 14, 10))
    expire_due(local(2027, 6, 18, 10))

    notification = Notification.objects.get(template="orders/status_expired")
    message = render_message(notification)
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert "065 12 34 56" in body
        assert "Au Bon Pain" in body and "065 99 88 77" in body
        assert other.get_full_url() in body
        assert "Pain Caché" not in body and "Pain en Pause" not in body
        assert flower_shop.title not in body
    assert order.reference in message.subject
    shop_mail = render_message(Notification.objects.get(template="orders/request_expired_shop"))
    assert shop_mail.to == [bakery.order_email]
    assert order.reference in shop_mail.subject and order.phone in shop_mail.body


def test_the_status_page_says_the_request_expired(client, bakery, phone):
    order = sent_at(bakery, local(2027, 6, 14, 10))
    expire_due(local(2027, 6, 18, 10))

    page = client.get(
        reverse("orders:status", args=[order.checkout.status_token]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Expired without an answer" in page or "Expirée sans réponse" in page
    assert 'href="tel:065 12 34 56"' in page
    # Nothing left to cancel.
    assert 'name="cancel"' not in page


def test_a_request_answered_in_the_meantime_is_left_alone(bakery, baker):
    order = sent_at(bakery, local(2027, 6, 14, 10))
    read_by_the_command = due(local(2027, 6, 18, 10))
    with timetravel.travel(local(2027, 6, 18, 10)):
        transitions.accept(order, baker, ready_at=local(2027, 6, 18, 12))
        assert transitions.expire(read_by_the_command[0]) is None
    order.refresh_from_db()
    assert order.status == Status.ACCEPTED
    assert not Notification.objects.filter(template__contains="expired").exists()


def test_the_shop_sees_when_a_new_request_expires(client, baker, bakery):
    order = sent_at(bakery, local(2027, 6, 14, 10))
    builders.admin_login(client, baker)
    page = client.get(reverse("orders_orderrequest_modeladmin_inspect", args=[order.pk]))
    assert "the request expires on Thursday 17 June, 10:00" in page.content.decode()

    transitions.decline(order, baker, reason="Fermé")
    page = client.get(reverse("orders_orderrequest_modeladmin_inspect", args=[order.pk]))
    assert "the request expires" not in page.content.decode()
