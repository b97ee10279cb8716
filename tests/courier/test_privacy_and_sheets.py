"""A stop's notes and a failure's reason follow the residents' data rules; the morning
e-mail gives each courier its day's round sheet."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from courier import rounds
from merchants.hours import instant
from notifications.models import Notification
from orders.models import OrderRequest, Status, StatusChange
from orders.privacy import anonymise_due, erase_resident, export_resident, months_before

from .conftest import courier_request, make_courier

pytestmark = pytest.mark.django_db


@pytest.fixture
def evening():
    return instant(datetime.combine(timezone.localdate(), time(17)))


@pytest.fixture
def failed(bakery, cargo_bikes, evening, rider):
    order = courier_request(bakery, cargo_bikes, evening, status=Status.OUT_FOR_DELIVERY)
    rounds.fail(order.courier_stop, rider, reason="Mme Dubois absente, voisine au 2e")
    return order


def test_a_failed_delivery_is_anonymised_twelve_months_later_with_its_notes(failed):
    now = timezone.now()
    long_ago = months_before(now, 12) - timedelta(days=1)
    StatusChange.objects.filter(request=failed).update(at=long_ago)
    OrderRequest.objects.filter(pk=failed.pk).update(updated_at=long_ago)

    assert anonymise_due(now=now).requests == 1

    failed.refresh_from_db()
    stop = failed.courier_stop
    assert (stop.notes, stop.failure_reason) == ("", "")
    assert not failed.history.filter(note__contains="Dubois").exists()
    assert failed.status == Status.DELIVERY_FAILED  # the figures stay


def test_a_recent_failure_keeps_its_notes(failed):
    assert anonymise_due().requests == 0
    failed.courier_stop.refresh_from_db()
    assert failed.courier_stop.failure_reason


def test_the_export_holds_the_stop_and_the_erasure_removes_it(failed):
    exported = export_resident(failed.email)["courier_deliveries"]
    assert exported[0]["reference"] == failed.reference
    assert exported[0]["notes"] == "Sonner chez Marie Dubois"
    assert exported[0]["failure_reason"] == "Mme Dubois absente, voisine au 2e"

    erase_resident(failed.email)

    failed.courier_stop.refresh_from_db()
    assert (failed.courier_stop.notes, failed.courier_stop.failure_reason) == ("", "")


def test_each_courier_with_deliveries_today_gets_its_sheet_once(
    bakery, cargo_bikes, evening, django_capture_on_commit_callbacks
):
    courier_request(bakery, cargo_bikes, evening)
    courier_request(bakery, cargo_bikes, evening, "Jean Martin")
    idle = make_courier(bakery, name="Repos")
    courier_request(bakery, idle, evening + timedelta(days=1), "Demain")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_round_sheets", verbosity=0)
        call_command("send_round_sheets", verbosity=0)

    assert [message.to for message in mail.outbox] == [[cargo_bikes.email]]
    body = mail.outbox[0].body
    assert (
        f"/admin/courier/?day={timezone.localdate().isoformat()}&courier={cargo_bikes.pk}" in body
    )
    assert "17:00–19:00 : 2 livraisons" in body
    assert Notification.objects.count() == 1
