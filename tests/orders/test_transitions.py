"""The shop's answers to a request: only along the table, recorded, and told to the resident."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from orders import transitions
from orders.models import Checkout, OrderRequest, StatusChange

from ..builders import admin_login as login
from ..builders import order_request
from .test_admin import inspect_url

pytestmark = pytest.mark.django_db

INDEX = "orders_orderrequest_modeladmin_index"
TOMORROW = timezone.localtime() + timedelta(days=1)


def act_url(order, action):
    return reverse(f"orders_orderrequest_modeladmin_{action}", args=[order.pk])


def valid_answers(order, action):
    """What a shop would post for `action`, changing nothing it need not change."""
    if action == "accept":
        answers = {f"accept-line_{line.pk}": line.quantity for line in order.lines.all()}
        answers["accept-ready_at"] = TOMORROW.strftime("%Y-%m-%dT%H:%M")
        return answers
    if action == "complete":
        return {"complete-final_amount": str(order.items_total)}
    if action == "decline":
        return {"decline-reason": "Fermé pour inventaire."}
    return {}


def post(client, user, order, action, data=None, capture=None, language="en"):
    login(client, user, language)
    data = valid_answers(order, action) if data is None else data
    if capture is None:
        return client.post(act_url(order, action), data)
    with capture(execute=True):
        return client.post(act_url(order, action), data)


def error_messages(response):
    return [
        str(message)
        for message in get_messages(response.wsgi_request)
        if message.level_tag == "error"
    ]


def unchanged(order, status):
    """The request, its lines and its mail are as they were before the refused answer."""
    order.refresh_from_db()
    assert order.status == status
    assert list(order.history.values_list("status", flat=True)) == ["new"]
    assert not Notification.objects.filter(reference=order.reference).exists()
    return True


@pytest.fixture
def pickup(bakery):
    bakery.public_email = "bonjour@boulangerie-dupont.example"
    bakery.phone = "065 12 34 56"
    bakery.save_revision().publish()
    checkout = Checkout.objects.create(
        idempotency_key="transitions-pickup", email="marie@example.org", language="en"
    )
    return order_request(
        bakery,
        "Marie Dubois",
        checkout=checkout,
        email="marie@example.org",
        lines=[("Baguette tradition", "1.30", 2), ("Croissant", "1.20", 3)],
    )


@pytest.fixture
def delivery(bakery):
    return order_request(
        bakery,
        "Paul Martin",
        lines=[("Pain de seigle", "3.10", 2)],
        fulfilment="delivery",
        delivery_fee="5.00",
        street_address="Rue Haute 3",
        postcode="7000",
        town="Valbourg",
    )


@pytest.fixture
def florists_request(flower_shop):
    return order_request(flower_shop, "Odile Lefleur", lines=[("Bouquet de saison", "25.00", 1)])


# The table

VALID = [
    (fulfilment, status, action)
    for fulfilment, table in transitions.TRANSITIONS.items()
    for status, actions in table.items()
    for action in actions
]


def test_the_table_is_the_one_the_shops_were_promised():
    # Written out by hand: a change to the table must be a deliberate change to this test.
    assert sorted(VALID) == sorted(
        [
            ("pickup", "new", "accept"),
            ("pickup", "new", "decline"),
            ("pickup", "accepted", "ready"),
            ("pickup", "accepted", "complete"),
            ("pickup", "accepted", "decline"),
            ("pickup", "ready", "complete"),
            ("pickup", "ready", "not_collected"),
            ("delivery", "new", "accept"),
            ("delivery", "new", "decline"),
            ("delivery", "accepted", "out_for_delivery"),
            ("delivery", "accepted", "complete"),
            ("delivery", "accepted", "decline"),
            ("delivery", "out_for_delivery", "complete"),
            # The courier's round takes a ready request on (courier.rounds).
            ("courier", "new", "accept"),
            ("courier", "new", "decline"),
            ("courier", "accepted", "ready"),
            ("courier", "accepted", "decline"),
            ("collection", "new", "accept"),
            ("collection", "new", "decline"),
            ("collection", "accepted", "ready"),
            ("collection", "accepted", "at_point"),
            ("collection", "accepted", "decline"),
            ("collection", "ready", "at_point"),
        ]
    )


@pytest.mark.parametrize(("fulfilment", "status", "action"), VALID)
def test_each_valid_answer_moves_the_request_records_it_and_mails_the_resident(
    client,
    baker,
    bakery,
    fulfilment,
    status,
    action,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    order = order_request(
        bakery,
        "Marie Dubois",
        status=status,
        fulfilment=fulfilment,
        email="marie@example.org",
        lines=[("Baguette tradition", "1.30", 2)],
    )

    response = post(client, baker, order, action, capture=django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == inspect_url(order)
    order.refresh_from_db()
    assert order.status == transitions.TARGET[action]
    change = StatusChange.objects.exclude(status="new").get(request=order)
    assert (change.status, change.by) == (order.status, baker)
    assert [message.to for message in mailoutbox] == [["marie@example.org"]]
    assert order.reference in mailoutbox[0].subject
    assert Notification.objects.get(reference=order.reference).template == (
        f"orders/status_{order.status}"
    )


INVALID = [
    ("pickup", "new", "complete"),
    ("pickup", "new", "ready"),
    ("pickup", "new", "not_collected"),
    ("pickup", "accepted", "accept"),
    ("pickup", "accepted", "out_for_delivery"),
    ("pickup", "accepted", "not_collected"),
    ("pickup", "ready", "decline"),
    ("pickup", "completed", "decline"),
    ("pickup", "declined", "accept"),
    ("pickup", "not_collected", "complete"),
    ("pickup", "cancelled", "accept"),
    ("delivery", "new", "out_for_delivery"),
    ("delivery", "accepted", "ready"),
    ("delivery", "out_for_delivery", "not_collected"),
    ("delivery", "out_for_delivery", "decline"),
    ("delivery", "completed", "complete"),
    # The shop brought it to the point: the point's staff take it from there.
    ("collection", "new", "at_point"),
    ("collection", "at_point", "complete"),
    ("collection", "at_point", "not_collected"),
    ("pickup", "accepted", "at_point"),
]


@pytest.mark.parametrize(("fulfilment", "status", "action"), INVALID)
def test_an_answer_outside_the_table_is_refused_and_changes_nothing(
    client,
    baker,
    bakery,
    fulfilment,
    status,
    action,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    order = order_request(
        bakery, "Marie Dubois", status=status, fulfilment=fulfilment, lines=[("Pain", "2.00", 1)]
    )

    response = post(client, baker, order, action, capture=django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == inspect_url(order)
    [error] = error_messages(response)
    assert order.reference in error and "Nothing was changed" in error
    assert unchanged(order, status)
    assert mailoutbox == []


def test_the_rule_holds_without_the_admin_too(baker, delivery):
    with pytest.raises(transitions.TransitionNotAllowed):
        transitions.mark_ready(delivery, baker)

    assert unchanged(delivery, "new")


def test_the_request_page_offers_only_the_answers_of_its_status(client, baker, pickup):
    login(client, baker)
    page = client.get(inspect_url(pickup)).content.decode()

    assert f'action="{act_url(pickup, "accept")}"' in page
    assert f'action="{act_url(pickup, "decline")}"' in page
    for action in ("ready", "out_for_delivery", "complete", "not_collected"):
        assert act_url(pickup, action) not in page
    # Each line can be lowered, from what was asked.
    line = pickup.lines.get(product_name="Croissant")
    assert f'name="accept-line_{line.pk}"' in page
    assert 'max="3"' in page


def test_a_closed_request_offers_no_answer(client, baker, bakery):
    order = order_request(bakery, "Marie Dubois", status="completed", lines=[("Pain", "2.00", 1)])
    login(client, baker)

    page = client.get(inspect_url(order)).content.decode()

    assert "/act/" not in page


def test_an_answer_applies_to_the_request_as_it_is_now_not_as_it_was_read(baker, pickup):
    opened_in_another_tab = OrderRequest.objects.get(pk=pickup.pk)
    transitions.decline(pickup, baker, reason="Fermé pour inventaire.")

    with pytest.raises(transitions.TransitionNotAllowed):
        transitions.accept(opened_in_another_tab, baker, ready_at=TOMORROW)

    pickup.refresh_from_db()
    assert pickup.status == "declined"
    assert list(pickup.history.values_list("status", flat=True)) == ["new", "declined"]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no SELECT … FOR UPDATE: a write locks the whole database there",
)
def test_an_answer_locks_the_request_while_it_is_applied(baker, pickup):
    # Two answers at once (two tabs, two people of the shop) must apply one after the
    # other; the second then finds the new status and is refused, as above. A test with
    # two threads would need committed data, and a transactional test here would run after
    # test_concurrency's, which empties the page tree the shops hang from.
    with CaptureQueriesContext(connection) as queries:
        transitions.accept(pickup, baker, ready_at=TOMORROW)

    [locking] = [query["sql"] for query in queries if "FOR UPDATE" in query["sql"]]
    assert 'FROM "orders_orderrequest"' in locking
    assert 'FOR UPDATE OF "orders_orderrequest"' in locking


# Accepting, with changes


def test_accepting_with_a_lower_quantity_and_a_removed_line_tells_the_resident_what_changed(
    client, baker, pickup, django_capture_on_commit_callbacks, mailoutbox
):
    baguette = pickup.lines.get(product_name="Baguette tradition")
    croissant = pickup.lines.get(product_name="Croissant")
    ready_at = TOMORROW.replace(hour=10, minute=30)

    response = post(
        client,
        baker,
        pickup,
        "accept",
        {
            f"accept-line_{baguette.pk}": "1",
            f"accept-line_{croissant.pk}": "0",
            "accept-ready_at": ready_at.strftime("%Y-%m-%dT%H:%M"),
            "accept-note": "Plus de croissants aujourd'hui.",
        },
        capture=django_capture_on_commit_callbacks,
    )

    assert response.status_code == 302
    pickup.refresh_from_db()
    assert pickup.status == "accepted"
    assert pickup.items_total == Decimal("1.30")
    assert [(line.product_name, line.quantity) for line in pickup.lines.all()] == [
        ("Baguette tradition", 1)
    ]
    assert pickup.ready_at == ready_at.replace(second=0, microsecond=0)
    # The history keeps what was asked, since the lines no longer do.
    note = StatusChange.objects.exclude(status="new").get(request=pickup).note
    assert "Plus de croissants aujourd'hui." in note
    assert "Baguette tradition: 2 → 1" in note
    assert "Croissant" in note

    [mail] = mailoutbox
    assert mail.to == ["marie@example.org"]
    assert mail.reply_to == ["bonjour@boulangerie-dupont.example"]
    assert mail.subject == f"Boulangerie Dupont accepted your request {pickup.reference}"
    # The checkout was in English: the e-mail is, prices included.
    assert "Baguette tradition: 2 → 1" in mail.body
    assert "Croissant: not available, removed" in mail.body
    assert "1 × Baguette tradition = €1.30" in mail.body
    assert "Total: €1.30 (instead of €6.20)" in mail.body
    assert "Plus de croissants aujourd'hui." in mail.body  # not escaped in plain text
    assert f"Ready for pick-up: {ready_at:%A} {ready_at.day} {ready_at:%B}, 10:30" in mail.body
    assert Checkout.objects.get().status_token in mail.body
    html = mail.alternatives[0][0]
    assert "Croissant: not available, removed" in html
    assert "Plus de croissants aujourd&#x27;hui." in html


def test_accepting_as_asked_mentions_no_change(
    client, baker, pickup, django_capture_on_commit_callbacks, mailoutbox
):
    post(client, baker, pickup, "accept", capture=django_capture_on_commit_callbacks)

    pickup.refresh_from_db()
    assert pickup.items_total == Decimal("6.20")
    assert StatusChange.objects.exclude(status="new").get(request=pickup).note == ""
    assert "changed your request" not in mailoutbox[0].body
    assert "instead of" not in mailoutbox[0].body


def test_a_quantity_cannot_go_up(client, baker, pickup, mailoutbox):
    answers = valid_answers(pickup, "accept")
    croissant = pickup.lines.get(product_name="Croissant")
    answers[f"accept-line_{croissant.pk}"] = "5"
    answers["accept-note"] = "Une note tapée avec soin"

    response = post(client, baker, pickup, "accept", answers)

    # The page again, the error next to the field, and what was typed still there.
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "A quantity can go down, not up" in page
    assert f'href="#id_accept-line_{croissant.pk}"' in page
    assert f'name="accept-line_{croissant.pk}" value="5"' in page
    assert "Une note tapée avec soin" in page
    assert unchanged(pickup, "new")
    assert pickup.items_total == Decimal("6.20")
    assert croissant.quantity == pickup.lines.get(pk=croissant.pk).quantity == 3


def test_removing_every_line_is_a_decline_not_an_acceptance(client, baker, pickup):
    answers = valid_answers(pickup, "accept")
    answers.update({name: "0" for name in answers if "-line_" in name})

    response = post(client, baker, pickup, "accept", answers)

    assert response.status_code == 200
    assert "decline the request instead" in response.content.decode()
    assert unchanged(pickup, "new")
    assert pickup.lines.count() == 2


def test_accepting_needs_a_ready_time(client, baker, pickup):
    answers = valid_answers(pickup, "accept")
    answers["accept-ready_at"] = ""

    response = post(client, baker, pickup, "accept", answers)

    assert response.status_code == 200
    assert "Say when the request will be ready." in response.content.decode()
    assert unchanged(pickup, "new")


def test_accepting_refuses_a_line_of_another_request(baker, pickup, florists_request):
    bouquet = florists_request.lines.get()

    with pytest.raises(ValueError):
        transitions.accept(pickup, baker, ready_at=TOMORROW, quantities={bouquet.pk: 1})

    assert unchanged(pickup, "new")


def test_accepting_refuses_a_higher_quantity_without_the_admin_too(baker, pickup):
    croissant = pickup.lines.get(product_name="Croissant")

    with pytest.raises(ValueError):
        transitions.accept(pickup, baker, ready_at=TOMORROW, quantities={croissant.pk: 4})

    assert unchanged(pickup, "new")
    assert pickup.lines.get(pk=croissant.pk).quantity == 3


# Declining


def test_declining_without_a_reason_is_refused_next_to_the_field(client, baker, pickup, mailoutbox):
    for reason in ("", "   "):
        response = post(client, baker, pickup, "decline", {"decline-reason": reason})

        assert response.status_code == 200
        page = response.content.decode()
        assert "Say why you decline the request" in page
        assert 'href="#id_decline-reason"' in page
        assert unchanged(pickup, "new")
    assert mailoutbox == []


def test_declining_tells_the_resident_the_reason(
    client, baker, delivery, django_capture_on_commit_callbacks, mailoutbox
):
    post(
        client,
        baker,
        delivery,
        "decline",
        {"decline-reason": "Le four est en panne <cette semaine>."},
        capture=django_capture_on_commit_callbacks,
    )

    delivery.refresh_from_db()
    assert delivery.status == "declined"
    assert (
        StatusChange.objects.exclude(status="new").get(request=delivery).note
        == "Le four est en panne <cette semaine>."
    )
    [mail] = mailoutbox
    assert "Le four est en panne <cette semaine>." in mail.body
    assert "Le four est en panne &lt;cette semaine&gt;." in mail.alternatives[0][0]
    # The bakery has no public address: replies go nowhere rather than to a wrong one.
    assert mail.reply_to == []


# Completing


def test_completing_records_the_final_amount_as_the_base_of_the_commission(
    client, baker, pickup, django_capture_on_commit_callbacks, mailoutbox
):
    OrderRequest.objects.filter(pk=pickup.pk).update(status="ready")

    response = post(
        client,
        baker,
        pickup,
        "complete",
        {"complete-final_amount": "5,80"},  # a French admin types a comma
        capture=django_capture_on_commit_callbacks,
        language="fr",
    )

    assert response.status_code == 302
    pickup.refresh_from_db()
    assert pickup.status == "completed"
    assert pickup.final_amount == Decimal("5.80")
    assert pickup.items_total == Decimal("6.20")  # what was accepted stays on record
    assert pickup.commission_base == Decimal("5.80")
    assert pickup.commission == Decimal("0.58")
    assert (
        "5,80"
        in StatusChange.objects.exclude(status="new").get(request=pickup, status="completed").note
    )
    assert "Products: €5.80" in mailoutbox[0].body


def test_the_complete_form_proposes_the_current_total_of_goods(client, baker, delivery):
    OrderRequest.objects.filter(pk=delivery.pk).update(status="out_for_delivery")
    login(client, baker, "fr")

    page = client.get(inspect_url(delivery)).content.decode()

    assert 'name="complete-final_amount" value="6,20"' in page


def test_a_negative_final_amount_is_refused_next_to_the_field(client, baker, delivery):
    OrderRequest.objects.filter(pk=delivery.pk).update(status="accepted")

    response = post(client, baker, delivery, "complete", {"complete-final_amount": "-3"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "The amount cannot be negative." in page
    assert 'name="complete-final_amount" value="-3"' in page
    assert unchanged(delivery, "accepted")
    assert delivery.final_amount is None
    assert delivery.commission_base == Decimal("6.20")


@pytest.mark.parametrize(
    ("action", "field", "typed"),
    [
        ("accept", "line", "abc"),
        ("accept", "line", "-1"),
        ("accept", "line", "1.5"),
        ("accept", "line", "99999999999999999999"),
        ("accept", "ready_at", "2025-13-45T99:99"),
        ("accept", "ready_at", "2000-01-01T10:00"),  # in the past
        ("accept", "note", "Nul\x00byte"),
        ("accept", "note", "x" * 100_000),
        ("complete", "final_amount", "NaN"),
        ("complete", "final_amount", "1e400"),
        ("complete", "final_amount", "12.345"),
        ("complete", "final_amount", "douze"),
        ("decline", "reason", "Nul\x00byte"),
    ],
)
def test_odd_input_is_a_form_error_never_a_crash(client, baker, pickup, action, field, typed):
    status = "accepted" if action == "complete" else "new"
    OrderRequest.objects.filter(pk=pickup.pk).update(status=status)
    answers = valid_answers(pickup, action)
    if field == "line":
        field = f"line_{pickup.lines.first().pk}"
    answers[f"{action}-{field}"] = typed

    response = post(client, baker, pickup, action, answers)

    assert response.status_code == 200
    assert f'href="#id_{action}-{field}"' in response.content.decode()
    assert unchanged(pickup, status)


# Not collected, and pick-ups waiting too long


def test_not_collected_only_once_ready(client, baker, pickup):
    OrderRequest.objects.filter(pk=pickup.pk).update(status="accepted")
    post(client, baker, pickup, "not_collected")
    assert unchanged(pickup, "accepted")

    OrderRequest.objects.filter(pk=pickup.pk).update(status="ready")
    post(client, baker, pickup, "not_collected")
    pickup.refresh_from_db()
    assert pickup.status == "not_collected"


def mark_ready_days_ago(order, user, days):
    transitions.mark_ready(transitions.accept(order, user, ready_at=TOMORROW), user)
    StatusChange.objects.filter(request=order, status="ready").update(
        at=timezone.now() - timedelta(days=days)
    )


@pytest.mark.dated
def test_a_pickup_ready_for_seven_days_is_overdue(baker, pickup, delivery):
    ready_at = timezone.now()
    transitions.mark_ready(transitions.accept(pickup, baker, ready_at=TOMORROW), baker)
    StatusChange.objects.filter(request=pickup, status="ready").update(at=ready_at)
    transitions.mark_out_for_delivery(transitions.accept(delivery, baker, ready_at=TOMORROW), baker)

    assert list(transitions.overdue_pickups(ready_at + timedelta(days=6, hours=23))) == []
    assert list(transitions.overdue_pickups(ready_at + timedelta(days=7))) == [pickup]
    # A delivery is never waiting for pick-up, even long after it went out.
    assert delivery not in transitions.overdue_pickups(ready_at + timedelta(days=30))


def test_the_delay_is_a_setting(settings, baker, pickup):
    settings.PORTAL_NOT_COLLECTED_AFTER_DAYS = 2
    mark_ready_days_ago(pickup, baker, days=3)

    assert list(transitions.overdue_pickups()) == [pickup]


def test_a_pickup_no_longer_waiting_is_not_overdue(baker, pickup):
    mark_ready_days_ago(pickup, baker, days=10)
    transitions.mark_not_collected(pickup, baker)

    assert list(transitions.overdue_pickups()) == []


def test_the_shop_sees_an_overdue_pickup_in_its_list_and_on_its_page(client, baker, pickup, bakery):
    mark_ready_days_ago(pickup, baker, days=9)
    recent = order_request(bakery, "Paul Martin", lines=[("Pain", "2.00", 1)])
    mark_ready_days_ago(recent, baker, days=1)
    login(client, baker)

    listing = client.get(reverse(INDEX)).content.decode()
    page = client.get(inspect_url(pickup)).content.decode()

    assert listing.count("Not collected: 9 days") == 1
    assert "Not collected: 1 day" not in listing  # ready yesterday: nothing to flag yet
    assert "Ready for pick-up 9 days ago and still not collected" in page
    assert "Call the resident, or mark the request not collected." in page


# Who may answer


def test_baker_cannot_answer_the_florists_request(client, baker, florists_request, mailoutbox):
    for action in transitions.ACTIONS:
        response = post(client, baker, florists_request, action)

        assert response.status_code == 404, action
        assert "Odile Lefleur" not in response.content.decode()
    assert unchanged(florists_request, "new")


def test_an_answer_is_never_a_get(client, baker, pickup):
    login(client, baker)

    response = client.get(act_url(pickup, "accept"), valid_answers(pickup, "accept"))

    assert response.status_code == 405
    assert unchanged(pickup, "new")


def test_answering_a_missing_request_is_not_found(client, baker):
    login(client, baker)

    response = client.post(reverse("orders_orderrequest_modeladmin_decline", args=[999999]))

    assert response.status_code == 404


def test_an_answer_needs_the_csrf_token(baker, pickup):
    client = Client(enforce_csrf_checks=True)
    login(client, baker)

    response = client.post(act_url(pickup, "decline"), {"decline-reason": "Fermé."})

    assert response.status_code == 403
    assert unchanged(pickup, "new")


def test_a_visitor_is_sent_to_the_login_page(client, pickup):
    response = client.post(act_url(pickup, "decline"), {"decline-reason": "Fermé."})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert unchanged(pickup, "new")


def test_city_editor_can_answer_any_shops_request(
    client, city_editor, florists_request, django_capture_on_commit_callbacks, mailoutbox
):
    post(
        client, city_editor, florists_request, "accept", capture=django_capture_on_commit_callbacks
    )

    florists_request.refresh_from_db()
    assert florists_request.status == "accepted"
    assert (
        StatusChange.objects.exclude(status="new").get(request=florists_request).by == city_editor
    )
    assert len(mailoutbox) == 1
