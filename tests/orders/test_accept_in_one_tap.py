"""Accepting in one tap: the ready time comes filled in from the shop's preparation time."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from merchants.models import MerchantPage
from orders.models import Status

from .. import builders, timetravel
from ..builders import FormFields, admin_login, order_request
from .test_admin import inspect_url

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")


def accept_form(client, order):
    form = FormFields("action-accept")
    form.feed(client.get(inspect_url(order)).content.decode())
    return form.data


@pytest.mark.parametrize(
    ("now", "preparation", "filled_in"),
    [
        # Monday 14 June 2027 at 10:00, two hours: within the hours.
        (datetime(2027, 6, 14, 10, 0, 40), timedelta(hours=2), "2027-06-14T12:00"),
        # 17:30, closing at 18:30: Tuesday's opening plus two hours.
        (datetime(2027, 6, 14, 17, 30), timedelta(hours=2), "2027-06-15T11:00"),
        # The merchant's own preparation time: 30 minutes.
        (datetime(2027, 6, 14, 17, 30), timedelta(minutes=30), "2027-06-14T18:00"),
    ],
)
def test_the_ready_time_is_filled_in_and_one_tap_accepts(
    client, baker, bakery, now, preparation, filled_in
):
    MerchantPage.objects.filter(pk=bakery.pk).update(preparation_time=preparation)
    order = order_request(bakery)
    with timetravel.travel(now.replace(tzinfo=BRUSSELS)):
        admin_login(client, baker)
        data = accept_form(client, order)
        assert data["accept-ready_at"] == [filled_in]
        # Posting the form as it comes: nothing typed.
        response = client.post(
            reverse("orders_orderrequest_modeladmin_accept", args=[order.pk]), data
        )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Status.ACCEPTED
    expected = datetime.fromisoformat(filled_in).replace(tzinfo=BRUSSELS)
    assert order.ready_at == expected


def test_the_filled_in_time_skips_a_closure(client, baker, bakery):
    builders.closure(bakery, date(2027, 6, 15), date(2027, 6, 16))
    order = order_request(bakery)
    with timetravel.travel(datetime(2027, 6, 14, 18, tzinfo=BRUSSELS)):
        admin_login(client, baker)
        assert accept_form(client, order)["accept-ready_at"] == ["2027-06-17T11:00"]


def test_the_filled_in_time_on_the_spring_night_counts_real_hours(client, baker, bakery):
    # A night shop: Saturday 22:00 to 04:00, and the clock jumps from 02:00 to 03:00.
    bakery.opening_hours.all().delete()
    bakery.opening_hours.create(weekday=5, opens="22:00", closes="04:00")
    MerchantPage.objects.filter(pk=bakery.pk).update(preparation_time=timedelta(hours=1))
    order = order_request(bakery)
    with timetravel.travel(datetime(2027, 3, 28, 1, 30, tzinfo=BRUSSELS)):
        admin_login(client, baker)
        # One hour: 03:30 by the new clock (02:30 does not exist that night).
        assert accept_form(client, order)["accept-ready_at"] == ["2027-03-28T03:30"]


def test_the_merchant_sets_the_preparation_time_on_the_shop_page(client, baker, bakery):
    admin_login(client, baker)
    url = reverse("wagtailadmin_pages:edit", args=[bakery.pk])
    form = FormFields("page-edit-form")
    page = client.get(url).content.decode()
    form.feed(page)
    assert form.data["preparation_time"] == ["2:00:00"]
    assert "usual preparation time" in page.lower()
    data = {**form.data, "description-count": ["0"], "action-publish": ["action-publish"]}
    data["preparation_time"] = ["0:30:00"]

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    bakery.refresh_from_db()
    assert bakery.preparation_time == timedelta(minutes=30)
