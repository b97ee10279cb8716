"""Residents' data: anonymised some months after a request closes; exported or erased on request."""

import io
import json
import logging
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.validators import validate_email
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from orders.models import Checkout, OrderRequest, Status, StatusChange
from orders.privacy import (
    ANONYMISED_NAME,
    CHUNK,
    anonymise,
    anonymise_due,
    is_anonymised,
    months_before,
)

from .. import builders

pytestmark = pytest.mark.django_db

INDEX = "orders_residents_data"
EXPORT = "orders_residents_data_export"
ERASE = "orders_residents_data_erase"
DASHBOARD = "wagtailadmin_home"
MARIE = "marie.dubois@example.org"


def order_request(shop, *, email=MARIE, **fields):
    """Marie's delivery request, with a message: every kind of personal data a request holds."""
    defaults = {
        "fulfilment": "delivery",
        "street_address": "Rue Haute 3",
        "postcode": "7000",
        "town": "Valbourg",
        "message": "Sonnez chez la voisine si je ne réponds pas.",
        "delivery_fee": "5.00",
    }
    defaults.update(fields)
    return builders.order_request(shop, email=email, **defaults)


def close(request, status, at):
    """The shop (or the resident) closed the request at `at`."""
    request.status = status
    request.save(update_fields=["status", "updated_at"])
    change = StatusChange.objects.create(request=request, status=status, note="Merci !")
    StatusChange.objects.filter(pk=change.pk).update(at=at)
    OrderRequest.objects.filter(pk=request.pk).update(updated_at=at)


def mail(request, to, *, sent=True, failed=False, reference=None, reply_to=()):
    now = timezone.now()
    return Notification.objects.create(
        to=to,
        reply_to=list(reply_to),
        template="orders/request_received_shop",
        context={"name": request.name, "email": request.email, "phone": request.phone},
        language="fr",
        reference=reference or request.reference,
        sent_at=now if sent else None,
        failed_at=now if failed else None,
    )


def twelve_months_ago(now):
    return months_before(now, 12)


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def old_completed(bakery, now):
    request = order_request(bakery)
    close(request, Status.COMPLETED, twelve_months_ago(now) - timedelta(days=1))
    return request


# Anonymisation after the retention period --------------------------------------------------


@pytest.mark.dated
def test_request_closed_twelve_months_ago_is_anonymised_and_keeps_its_figures(old_completed, now):
    created_at = old_completed.created_at

    outcome = anonymise_due(now=now)

    request = OrderRequest.objects.get(pk=old_completed.pk)
    assert outcome.requests == 1
    assert is_anonymised(request)
    assert (request.name, request.phone, request.message) == (ANONYMISED_NAME, "", "")
    assert (request.street_address, request.postcode, request.town) == ("", "", "")
    assert MARIE not in request.email
    validate_email(request.email)  # the placeholder is still a valid EmailField value
    # What the city's statistics are built on stays.
    assert request.status == Status.COMPLETED
    assert request.shop_id == old_completed.shop_id
    assert request.items_total == Decimal("6.20")
    assert request.delivery_fee == Decimal("5.00")
    assert request.commission_rate == Decimal("10.00")
    assert request.created_at == created_at
    assert request.reference == old_completed.reference
    assert [(line.product_name, line.quantity) for line in request.lines.all()] == [
        ("Baguette tradition", 2),
        ("Croissant", 3),
    ]
    # Status notes are the shop's words: they stay.
    assert request.history.filter(note="Merci !").exists()
    checkout = Checkout.objects.get(pk=old_completed.checkout_id)
    assert is_anonymised(checkout)
    validate_email(checkout.email)


@pytest.mark.dated
def test_request_closed_less_than_twelve_months_ago_is_kept(bakery, now):
    request = order_request(bakery)
    close(request, Status.DECLINED, twelve_months_ago(now) + timedelta(days=1))

    outcome = anonymise_due(now=now)

    assert outcome.requests == 0
    request.refresh_from_db()
    assert request.email == MARIE
    assert request.name == "Marie Dubois"


@pytest.mark.dated
@pytest.mark.parametrize("status", [Status.NEW, Status.ACCEPTED, Status.READY])
def test_open_request_is_never_anonymised_however_old(bakery, now, status):
    request = order_request(bakery, status=status)
    long_ago = now - timedelta(days=3 * 365)
    OrderRequest.objects.filter(pk=request.pk).update(created_at=long_ago, updated_at=long_ago)
    StatusChange.objects.filter(request=request).update(at=long_ago)

    assert anonymise_due(now=now).requests == 0
    request.refresh_from_db()
    assert request.email == MARIE


@pytest.mark.dated
def test_closing_time_is_the_closing_status_change_not_a_later_update(bakery, now):
    request = order_request(bakery)
    close(request, Status.CANCELLED, twelve_months_ago(now) - timedelta(days=3))
    # Something touched the row last week (a data fix, say): it was closed long before.
    OrderRequest.objects.filter(pk=request.pk).update(updated_at=now - timedelta(days=7))

    assert anonymise_due(now=now).requests == 1


@pytest.mark.dated
def test_request_without_history_falls_back_on_its_last_update(bakery, now):
    request = order_request(bakery, status=Status.NOT_COLLECTED)
    request.history.all().delete()
    OrderRequest.objects.filter(pk=request.pk).update(
        updated_at=twelve_months_ago(now) - timedelta(hours=1)
    )

    assert anonymise_due(now=now).requests == 1


def test_anonymisation_is_idempotent(old_completed, now):
    anonymise_due(now=now)
    first = OrderRequest.objects.values().get(pk=old_completed.pk)

    outcome = anonymise_due(now=now + timedelta(days=1))

    assert outcome.requests == 0
    assert outcome.checkouts == 0
    assert OrderRequest.objects.values().get(pk=old_completed.pk) == first


@pytest.mark.dated
def test_anonymisation_follows_the_setting(settings, bakery, now):
    settings.PORTAL_ANONYMISE_AFTER_MONTHS = 3
    request = order_request(bakery)
    close(request, Status.COMPLETED, now - timedelta(days=100))

    assert anonymise_due(now=now).requests == 1


def test_months_are_calendar_months_even_at_the_end_of_a_month():
    moment = timezone.make_aware(datetime(2025, 3, 31, 10, 30))

    assert months_before(moment, 1).date().isoformat() == "2025-02-28"
    assert months_before(moment, 12).date().isoformat() == "2024-03-31"
    assert months_before(moment, 13).date().isoformat() == "2024-02-29"


def test_emails_about_an_anonymised_request_are_scrubbed(old_completed, now, caplog):
    to_shop = mail(old_completed, "commandes@boulangerie-dupont.example", reply_to=[MARIE])
    to_resident = mail(
        old_completed, "Marie.Dubois@example.org", sent=False, failed=True, reply_to=["b@x.be"]
    )
    someone_else = order_request(old_completed.shop, email="odile@example.org")
    other_mail = mail(someone_else, "odile@example.org")

    with caplog.at_level(logging.WARNING, logger="orders.privacy"):
        outcome = anonymise_due(now=now)

    assert outcome.emails == 2
    to_shop.refresh_from_db()
    to_resident.refresh_from_db()
    assert to_shop.context == {} and to_resident.context == {}
    # The shop's own address is not the resident's data; the resident's address goes,
    # whatever its case.
    assert to_shop.to == "commandes@boulangerie-dupont.example"
    assert to_shop.reply_to == []
    assert to_resident.to.endswith("@anonymised.invalid")
    assert to_resident.reply_to == ["b@x.be"]
    other_mail.refresh_from_db()
    assert other_mail.context["email"] == "odile@example.org"
    assert not caplog.records


def test_unsent_email_of_an_old_request_is_left_and_logged(old_completed, now, caplog):
    pending = mail(old_completed, MARIE, sent=False)

    with caplog.at_level(logging.WARNING, logger="orders.privacy"):
        outcome = anonymise_due(now=now)

    assert outcome.requests == 1
    assert outcome.unsent_kept == 1
    pending.refresh_from_db()
    assert pending.context["email"] == MARIE
    assert old_completed.reference in caplog.text
    assert MARIE not in caplog.text


def test_checkout_and_its_confirmation_go_with_the_last_of_its_requests(bakery, flower_shop, now):
    bread = order_request(bakery)
    flowers = order_request(flower_shop, checkout=bread.checkout)
    confirmation = mail(bread, MARIE, reference=f"{bread.reference},{flowers.reference}")
    close(bread, Status.COMPLETED, twelve_months_ago(now) - timedelta(days=2))
    close(flowers, Status.COMPLETED, now - timedelta(days=30))

    anonymise_due(now=now)

    # The flowers are still within their twelve months: the shared address and the
    # confirmation that describes them stay.
    assert Checkout.objects.get(pk=bread.checkout_id).email == MARIE
    confirmation.refresh_from_db()
    assert confirmation.context["email"] == MARIE

    anonymise_due(now=now + timedelta(days=365))

    assert is_anonymised(Checkout.objects.get(pk=bread.checkout_id))
    confirmation.refresh_from_db()
    assert confirmation.context == {}
    assert confirmation.to == f"checkout-{bread.checkout_id}@anonymised.invalid"


def test_a_full_chunk_of_requests_has_its_emails_scrubbed(bakery):
    # The first run after a quiet year, or a resident with a long history: one chunk
    # names hundreds of references, and finding their e-mails must not grow with them.
    requests = [order_request(bakery, lines=[]) for _ in range(CHUNK)]
    confirmation = mail(requests[0], MARIE, reference=f"{requests[0].reference},R-OTHER")
    last = mail(requests[-1], MARIE)

    outcome = anonymise([request.pk for request in requests])

    assert (outcome.requests, outcome.emails) == (CHUNK, 2)
    confirmation.refresh_from_db()
    last.refresh_from_db()
    assert confirmation.context == {} and last.context == {}


def test_command_dry_run_counts_and_changes_nothing(old_completed):
    mail(old_completed, MARIE)
    out = io.StringIO()

    call_command("anonymise_requests", "--dry-run", stdout=out)

    assert "would anonymise 1 order requests, 1 checkouts and 1 e-mails" in out.getvalue()
    assert OrderRequest.objects.get(pk=old_completed.pk).email == MARIE
    assert Notification.objects.get().context["email"] == MARIE


def test_command_anonymises_then_finds_nothing_more(old_completed):
    first, second = io.StringIO(), io.StringIO()

    call_command("anonymise_requests", stdout=first)
    call_command("anonymise_requests", stdout=second)

    assert "anonymised 1 order requests" in first.getvalue()
    assert "anonymised 0 order requests" in second.getvalue()
    assert is_anonymised(OrderRequest.objects.get(pk=old_completed.pk))


# A resident's request: export and erasure, by a city editor ------------------------------


@pytest.fixture
def maries_requests(bakery, flower_shop):
    """Marie wrote her address with capitals once; Odile is someone else."""
    return [
        order_request(bakery, email="Marie.Dubois@Example.org"),
        order_request(flower_shop, email=MARIE, status=Status.COMPLETED),
    ]


@pytest.fixture
def odiles_request(bakery):
    return order_request(bakery, email="odile.lefleur@example.org", name="Odile Lefleur")


def test_city_editor_finds_a_residents_requests_in_every_shop(
    client, city_editor, maries_requests, odiles_request
):
    builders.admin_login(client, city_editor)

    response = client.post(reverse(INDEX), {"email": "MARIE.DUBOIS@example.org"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "2 order requests found" in page
    for request in maries_requests:
        assert request.reference in page
    assert odiles_request.reference not in page


def test_city_editor_exports_only_that_residents_requests_across_shops(
    client, city_editor, maries_requests, odiles_request
):
    client.force_login(city_editor)

    response = client.post(reverse(EXPORT), {"email": "marie.DUBOIS@example.org"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    references = {request["reference"] for request in data["order_requests"]}
    assert references == {request.reference for request in maries_requests}
    assert {request["shop"] for request in data["order_requests"]} == {
        "Boulangerie Dupont",
        "Fleurs de Lys",
    }
    first = data["order_requests"][0]
    assert first["phone"] == "0470 12 34 56"
    assert first["total"] == "11.20"
    assert [line["product"] for line in first["lines"]] == ["Baguette tradition", "Croissant"]
    assert "odile" not in response.content.decode().lower()


def test_export_with_a_bad_address_shows_the_error_next_to_the_field(client, city_editor):
    client.force_login(city_editor)

    response = client.post(reverse(EXPORT), {"email": "marie at example"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    error = response.context["form"].errors["email"][0]
    assert error in response.content.decode()


def test_erase_asks_for_confirmation_first(client, city_editor, maries_requests):
    client.force_login(city_editor)

    response = client.post(reverse(ERASE), {"email": MARIE})

    assert response.status_code == 200
    assert 'name="confirm" value="yes"' in response.content.decode()
    assert OrderRequest.objects.filter(email__iexact=MARIE).count() == 2


def test_erase_anonymises_that_residents_requests_now_and_leaves_others(
    client, city_editor, maries_requests, odiles_request
):
    open_request, closed_request = maries_requests
    sent = mail(open_request, "commandes@boulangerie-dupont.example", reply_to=[MARIE])
    unsent = mail(open_request, MARIE, sent=False)
    odiles_mail = mail(odiles_request, "odile.lefleur@example.org")
    builders.admin_login(client, city_editor)

    response = client.post(reverse(ERASE), {"email": MARIE, "confirm": "yes"})

    assert response.status_code == 302
    assert response.url == reverse(INDEX)
    for request in maries_requests:
        request.refresh_from_db()
        assert is_anonymised(request)
        assert request.phone == ""
    # Erasure takes the personal data, not the request: an open one stays open.
    assert open_request.status == Status.NEW
    assert closed_request.status == Status.COMPLETED
    sent.refresh_from_db()
    assert sent.context == {} and sent.reply_to == []
    # An e-mail not sent yet must not go out any more.
    assert not Notification.objects.filter(pk=unsent.pk).exists()
    odiles_request.refresh_from_db()
    assert odiles_request.email == "odile.lefleur@example.org"
    odiles_mail.refresh_from_db()
    assert odiles_mail.context["email"] == "odile.lefleur@example.org"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["The personal data of 2 order requests and their e-mails was erased."]


def test_get_on_erase_erases_nothing(client, city_editor, maries_requests):
    client.force_login(city_editor)

    response = client.get(reverse(ERASE), {"email": MARIE, "confirm": "yes"})

    assert response.status_code == 302
    assert OrderRequest.objects.filter(email__iexact=MARIE).count() == 2


def test_erase_without_csrf_token_is_refused(city_editor, maries_requests):
    client = Client(enforce_csrf_checks=True)
    builders.admin_login(client, city_editor)

    response = client.post(reverse(ERASE), {"email": MARIE, "confirm": "yes"})

    assert response.status_code == 403
    assert OrderRequest.objects.filter(email__iexact=MARIE).count() == 2


def test_export_answers_only_a_post(client, city_editor, maries_requests):
    client.force_login(city_editor)

    response = client.get(reverse(EXPORT), {"email": MARIE})

    assert response.status_code == 405


@pytest.mark.parametrize(
    ("method", "name", "data"),
    [
        ("get", INDEX, {}),
        ("post", INDEX, {"email": MARIE}),
        ("post", EXPORT, {"email": MARIE}),
        ("post", ERASE, {"email": MARIE, "confirm": "yes"}),
    ],
)
def test_baker_cannot_reach_residents_data(client, baker, maries_requests, method, name, data):
    client.force_login(baker)

    response = getattr(client, method)(reverse(name), data)

    assert response.status_code == 302
    assert response.url == reverse(DASHBOARD)
    assert MARIE not in response.content.decode()
    assert OrderRequest.objects.filter(email__iexact=MARIE).count() == 2


@pytest.mark.parametrize(
    ("name", "data"),
    [(INDEX, {"email": MARIE}), (EXPORT, {"email": MARIE}), (ERASE, {"email": MARIE})],
)
def test_anonymous_visitor_is_sent_to_log_in(resident, maries_requests, name, data):
    response = resident.post(reverse(name), {**data, "confirm": "yes"})

    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response.url
    assert OrderRequest.objects.filter(email__iexact=MARIE).count() == 2


def test_settings_menu_shows_residents_data_to_city_editors_only(city_editor, baker):
    from wagtail.admin.menu import settings_menu

    factory = RequestFactory()
    url = reverse(INDEX)

    def menu_urls(user):
        request = factory.get("/admin/")
        request.user = user
        return [item.url for item in settings_menu.menu_items_for_request(request)]

    assert url in menu_urls(city_editor)
    assert url not in menu_urls(baker)
