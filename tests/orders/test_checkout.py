"""The resident's path: request list, details, check, send — and everything that can go wrong."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django_tasks import TaskResultStatus, task
from wagtail.models import Site

from home.money import format_money
from merchants.models import Closure, OpeningHours
from notifications.models import Notification
from orders.checkout import place
from orders.forms import CheckoutForm
from orders.models import Checkout, OrderRequest, Status
from orders.request_list import SESSION_KEY, Cost, RequestList
from tests import builders

pytestmark = pytest.mark.django_db

LIST_URL = "/ma-demande/"
ADD_URL = "/ma-demande/ajouter/"
DETAILS_URL = "/ma-demande/coordonnees/"
REVIEW_URL = "/ma-demande/verifier/"


def add(client, product, quantity=1):
    return client.post(ADD_URL, {"product": product.pk, "quantity": quantity})


def details(bakery=None, flower_shop=None, **overrides):
    data = {
        "name": "Marie Dubois",
        "email": "marie@example.org",
        "phone": "0470 12 34 56",
        "street_address": "Rue Haute 3",
        "postcode": "7000",
        "town": "Valbourg",
        "consent": "on",
    }
    if bakery:
        data[f"shop_{bakery.pk}_fulfilment"] = "delivery"
        data[f"shop_{bakery.pk}_message"] = "Bien cuite, s'il vous plaît."
    if flower_shop:
        data[f"shop_{flower_shop.pk}_fulfilment"] = "pickup"
    data.update(overrides)
    return data


def review_key(client):
    response = client.get(REVIEW_URL)
    assert response.status_code == 200
    return re.search(r'name="idempotency_key" value="([^"]+)"', response.content.decode())[1]


def send(client, key, capture):
    with capture(execute=True):
        return client.post(REVIEW_URL, {"idempotency_key": key})


@pytest.fixture
def two_shop_list(client, baguette, croissant, bouquet):
    add(client, baguette, 2)
    add(client, croissant, 3)
    add(client, bouquet, 1)
    return client


def test_checkout_across_two_shops_creates_one_request_per_shop(
    two_shop_list, bakery, flower_shop, django_capture_on_commit_callbacks
):
    client = two_shop_list
    assert client.post(DETAILS_URL, details(bakery, flower_shop)).status_code == 302
    response = send(client, review_key(client), django_capture_on_commit_callbacks)

    checkout = Checkout.objects.get()
    assert response["Location"] == f"/ma-demande/merci/{checkout.status_token}/"
    bread = OrderRequest.objects.get(shop=bakery)
    flowers = OrderRequest.objects.get(shop=flower_shop)
    assert bread.fulfilment == "delivery" and flowers.fulfilment == "pickup"
    assert [(line.product_name, line.quantity, line.unit_price) for line in bread.lines.all()] == [
        ("Baguette tradition", 2, Decimal("1.30")),
        ("Croissant", 3, Decimal("1.20")),
    ]
    assert bread.items_total == Decimal("6.20")
    assert bread.delivery_fee == Decimal("5.00")  # the town's default fee
    assert bread.total == Decimal("11.20")
    assert bread.commission_rate == Decimal("10.00")
    assert bread.commission_base == Decimal("6.20")  # goods only, not the delivery fee
    assert bread.commission == Decimal("0.62")
    assert bread.street_address == "Rue Haute 3" and flowers.street_address == ""
    assert flowers.delivery_fee == 0 and flowers.total == Decimal("25.00")
    assert bread.status == Status.NEW and bread.history.get().status == Status.NEW
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}", bread.reference)
    assert bread.reference != flowers.reference
    # The list is emptied once sent.
    assert SESSION_KEY not in client.session


def test_the_review_page_shows_exactly_what_is_stored_on_sending(
    two_shop_list, bakery, flower_shop, django_capture_on_commit_callbacks
):
    client = two_shop_list
    bakery.delivery_fee = Decimal("2.50")  # the shop's own fee, not the town's 5.00
    bakery.save_revision().publish()
    client.post(DETAILS_URL, details(bakery, flower_shop))
    review = client.get(REVIEW_URL)
    page = review.content.decode()
    send(client, review_key(client), django_capture_on_commit_callbacks)

    orders = {order.shop_id: order for order in OrderRequest.objects.all()}
    assert orders[bakery.pk].total == Decimal("8.70")  # 6.20 of goods, 2.50 of delivery
    for section in review.context["sections"]:
        order = orders[section["group"].shop.pk]
        assert section["cost"] == Cost(items=order.items_total, fee=order.delivery_fee)
        shown = re.search(
            rf'id="review-shop-{order.shop_id}".*?<tfoot>(.*?)</tfoot>', page, re.DOTALL
        )[1]
        figures = [order.items_total, order.total]
        if order.fulfilment == "delivery":
            figures.insert(1, order.delivery_fee)
        assert re.findall(r'class="number">(?:<strong>)?([^<]+)<', shown) == [
            format_money(figure, "fr") for figure in figures
        ]
    overall = format_money(sum(order.total for order in orders.values()), "fr")
    assert re.search(r'<p class="totals"><strong>([^<]+)</strong>', page)[1].endswith(overall)


def test_each_party_receives_its_e_mail(
    two_shop_list, bakery, flower_shop, django_capture_on_commit_callbacks
):
    client = two_shop_list
    flower_shop.public_email = "bonjour@fleurs-de-lys.example"
    flower_shop.save_revision().publish()
    client.post(DETAILS_URL, details(bakery, flower_shop))
    send(client, review_key(client), django_capture_on_commit_callbacks)

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {bakery.order_email, flower_shop.order_email, "marie@example.org"}
    to_bakery = by_recipient[bakery.order_email]
    bread = OrderRequest.objects.get(shop=bakery)
    assert bread.reference in to_bakery.subject
    assert to_bakery.reply_to == ["marie@example.org"]
    assert "2 × Baguette tradition" in to_bakery.body
    assert "Bien cuite" in to_bakery.body and "0470 12 34 56" in to_bakery.body
    assert "Rue Haute 3, 7000 Valbourg" in to_bakery.body
    # The link opens this very request in the admin.
    assert f"/admin/orders/orderrequest/inspect/{bread.pk}/" in to_bakery.body
    to_resident = by_recipient["marie@example.org"]
    assert to_resident.reply_to == ["bonjour@fleurs-de-lys.example"]
    assert bread.reference in to_resident.body
    assert OrderRequest.objects.get(shop=flower_shop).reference in to_resident.body
    assert Checkout.objects.get().status_token in to_resident.body
    # Nothing about one shop's customer goes to the other shop.
    assert "Baguette" not in by_recipient[flower_shop.order_email].body


def test_request_is_stored_even_if_no_mail_can_be_sent(
    two_shop_list, bakery, flower_shop, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.orders.test_checkout.BrokenBackend"
    client = two_shop_list
    client.post(DETAILS_URL, details(bakery, flower_shop))
    response = send(client, review_key(client), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert OrderRequest.objects.count() == 2
    assert Notification.objects.filter(sent_at__isnull=True).count() == 3


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_double_submission_creates_one_set_of_requests_and_mails(
    two_shop_list, bakery, flower_shop, django_capture_on_commit_callbacks
):
    client = two_shop_list
    client.post(DETAILS_URL, details(bakery, flower_shop))
    key = review_key(client)
    first = send(client, key, django_capture_on_commit_callbacks)
    again = send(client, key, django_capture_on_commit_callbacks)
    assert again["Location"] == first["Location"]
    assert OrderRequest.objects.count() == 2
    assert len(mail.outbox) == 3


def test_same_key_from_another_session_returns_the_first_checkout(
    two_shop_list, bakery, flower_shop, django_capture_on_commit_callbacks, client_factory
):
    client = two_shop_list
    client.post(DETAILS_URL, details(bakery, flower_shop))
    key = review_key(client)
    # A second tab of the same visit that lost the session's memory of the key.
    other = client_factory(client)
    first = send(client, key, django_capture_on_commit_callbacks)
    second = send(other, key, django_capture_on_commit_callbacks)
    assert second["Location"] == first["Location"]
    assert Checkout.objects.count() == 1


@pytest.mark.parametrize("with_own_list", [False, True], ids=["empty-session", "own-list"])
def test_a_used_key_from_another_session_shows_nothing_of_the_request(
    with_own_list, two_shop_list, bakery, flower_shop, croissant, django_capture_on_commit_callbacks
):
    from django.test import Client

    resident = two_shop_list
    resident.post(DETAILS_URL, details(bakery, flower_shop))
    key = review_key(resident)
    send(resident, key, django_capture_on_commit_callbacks)
    checkout = Checkout.objects.get()
    references = list(checkout.requests.values_list("reference", flat=True))
    stranger = Client()
    if with_own_list:  # someone with a request of their own, ready to send
        add(stranger, croissant)
        stranger.post(DETAILS_URL, details(bakery, name="Paul Lenoir", email="paul@example.org"))
        stranger.get(REVIEW_URL)

    response = send(stranger, key, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert checkout.status_token not in response["Location"]
    page = stranger.get(response["Location"], follow=True).content.decode()
    assert "already sent" in page or "déjà été envoyée" in page
    for private in ["Marie Dubois", "marie@example.org", "Rue Haute 3", *references]:
        assert private not in page
    assert Checkout.objects.count() == 1  # nothing sent in the stranger's name either
    assert checkout.status_token not in str(stranger.session.items())


def test_a_key_this_session_was_not_given_sends_nothing(
    client, baguette, bakery, django_capture_on_commit_callbacks
):
    add(client, baguette)
    client.post(DETAILS_URL, details(bakery))
    review_key(client)

    response = send(client, "made-up-key", django_capture_on_commit_callbacks)

    assert response["Location"] == REVIEW_URL  # the page is shown again, with its own key
    assert not Checkout.objects.exists()
    assert send(client, review_key(client), django_capture_on_commit_callbacks).status_code == 302
    assert Checkout.objects.count() == 1


@pytest.fixture
def client_factory():
    from django.test import Client

    def copy(client):
        clone = Client()
        clone.cookies = client.cookies
        return clone

    return copy


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"name": ""}, "name", "required"),
        ({"name": "Marie\r\nBcc: spam@example.org"}, "name", "one line"),
        ({"email": "marie@"}, "email", "valid"),
        ({"phone": "call me"}, "phone", "phone number"),
        ({"consent": ""}, "consent", "Tick the box"),
        ({"postcode": "9999"}, "fulfilment", "does not deliver to postcode 9999"),
        ({"street_address": ""}, "street_address", "address"),
        ({"message_big": True}, "message", "at most 1000"),
        ({"name": "Marie\x00"}, "name", "Null characters"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_kept(
    two_shop_list, bakery, flower_shop, overrides, field, message
):
    client = two_shop_list
    data = details(bakery, flower_shop)
    if overrides.pop("message_big", False):
        data[f"shop_{bakery.pk}_message"] = "x" * 100_000
    data.update(overrides)
    client.cookies["django_language"] = "en"
    with_language = client.post(DETAILS_URL, data)
    page = with_language.content.decode()
    assert with_language.status_code == 200
    assert "error-summary" in page
    assert message.lower() in page.lower()
    # What the resident typed is still there.
    if field != "phone":
        assert 'value="0470 12 34 56"' in page
    assert OrderRequest.objects.count() == 0
    assert client.session[SESSION_KEY]  # the request list is intact


def test_delivery_is_not_offered_by_a_shop_that_does_not_deliver(
    two_shop_list, bakery, flower_shop
):
    data = details(bakery, flower_shop, **{f"shop_{flower_shop.pk}_fulfilment": "delivery"})
    response = two_shop_list.post(DETAILS_URL, data)
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()


@pytest.mark.dated
def test_preferred_day_must_be_a_day_the_shop_opens(client, bouquet, flower_shop):
    add(client, bouquet)
    today = timezone.localdate()
    sunday = today + timedelta(days=(6 - today.weekday()) or 7)
    data = details(flower_shop=flower_shop)
    data[f"shop_{flower_shop.pk}_preferred_date"] = sunday.isoformat()
    response = client.post(DETAILS_URL, data)
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    monday = sunday + timedelta(days=1)
    data[f"shop_{flower_shop.pk}_preferred_date"] = monday.isoformat()
    assert client.post(DETAILS_URL, data).status_code == 302


@pytest.mark.dated
def test_preferred_day_during_an_exceptional_closure_is_refused(client, bouquet, flower_shop):
    add(client, bouquet)
    today = timezone.localdate()
    day = today + timedelta(days=3)
    OpeningHours.objects.create(
        shop=flower_shop, weekday=day.weekday(), opens="09:00", closes="12:00"
    )
    Closure.objects.create(shop=flower_shop, starts_on=day, ends_on=day, reason="inventaire")
    field = f"shop_{flower_shop.pk}_preferred_date"
    data = details(flower_shop=flower_shop)
    data[field] = day.isoformat()
    client.cookies["django_language"] = "en"
    response = client.post(DETAILS_URL, data)
    assert response.status_code == 200
    with translation.override("en"):
        day_name = date_format(day, "l j F")
    refusal = f"{flower_shop.title} is closed on {day_name}. Choose a day when it is open."
    # The refusal is the day's, next to the day field, and the day typed is kept.
    assert response.context["form"].errors[field] == [refusal]
    assert escape(refusal) in response.content.decode()
    assert response.context["form"][field].value() == day.isoformat()
    # The same weekday is a regular opening day: only the closure refuses it.
    Closure.objects.filter(shop=flower_shop).delete()
    assert client.post(DETAILS_URL, data).status_code == 302


def next_monday():
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


@pytest.mark.dated
def test_the_preferred_day_checked_is_the_day_stored(
    client, bouquet, flower_shop, django_capture_on_commit_callbacks
):
    add(client, bouquet)
    monday = next_monday()
    data = details(flower_shop=flower_shop)
    data[f"shop_{flower_shop.pk}_preferred_date"] = monday.isoformat()
    client.post(DETAILS_URL, data)
    send(client, review_key(client), django_capture_on_commit_callbacks)
    assert OrderRequest.objects.get().preferred_date == monday


@pytest.mark.dated
def test_placing_takes_the_forms_typed_values(bouquet, flower_shop):
    """The form parses the resident's answers once; placing does not parse them again."""
    session = SessionStore()
    RequestList(session).add(bouquet, 1)
    groups, _orphans = RequestList(session).groups()
    data = details(flower_shop=flower_shop)
    data[f"shop_{flower_shop.pk}_preferred_date"] = next_monday().isoformat()
    form = CheckoutForm(data, groups=groups)
    assert form.is_valid(), form.errors

    site = Site.objects.get(is_default_site=True)
    place(groups, form.cleaned_data, key="typed", language="fr", site=site)

    assert OrderRequest.objects.get().preferred_date == next_monday()


@pytest.mark.dated
def test_paused_shop_keeps_its_products_visible_but_refuses_requests(
    client, bakery, baguette, bouquet, flower_shop
):
    add(client, baguette)
    add(client, bouquet)
    bakery.requests_paused_until = timezone.localdate() + timedelta(days=7)
    bakery.pause_reason = "congés"
    bakery.save_revision().publish()
    page = client.get(baguette.url).content.decode()
    assert "Baguette tradition" in page and "congés" in page
    assert 'action="/ma-demande/ajouter/"' not in page
    response = client.post(DETAILS_URL, details(bakery, flower_shop))
    assert response.status_code == 200
    assert "congés" in response.content.decode()


def test_inactive_out_of_stock_and_unknown_products_cannot_be_added(client, bakery):
    hidden = builders.product(bakery, "Caché", is_active=False)
    sold_out = builders.product(bakery, "Épuisé", availability="out_of_stock")
    assert add(client, hidden).status_code == 404
    assert client.post(ADD_URL, {"product": 999_999, "quantity": 1}).status_code == 404
    add(client, sold_out)
    assert SESSION_KEY not in client.session or not client.session[SESSION_KEY]


@pytest.mark.parametrize("quantity", ["0", "100", "-3", "2.5", "abc", ""])
def test_quantity_must_be_a_whole_number_from_1_to_99(client, baguette, quantity):
    response = client.post(ADD_URL, {"product": baguette.pk, "quantity": quantity})
    assert response.status_code == 302
    assert not client.session.get(SESSION_KEY)


def test_quantities_add_up_and_are_capped_at_99(client, baguette):
    add(client, baguette, 60)
    add(client, baguette, 60)
    assert client.session[SESSION_KEY][str(baguette.pk)]["quantity"] == 99


def test_request_list_groups_by_shop_changes_and_removes(client, baguette, bouquet):
    add(client, baguette, 2)
    add(client, bouquet)
    page = client.get(LIST_URL).content.decode()
    assert page.index("Boulangerie Dupont") < page.index("Fleurs de Lys")
    assert "2,60\u00a0€" in page  # the bakery's subtotal
    client.post("/ma-demande/modifier/", {"product": baguette.pk, "quantity": 5})
    assert client.session[SESSION_KEY][str(baguette.pk)]["quantity"] == 5
    client.post("/ma-demande/modifier/", {"product": bouquet.pk, "quantity": 0})
    assert str(bouquet.pk) not in client.session[SESSION_KEY]


def test_a_price_change_is_shown_before_sending(client, baguette, bakery):
    add(client, baguette)
    baguette.price = Decimal("1.45")
    baguette.save()
    page = client.get(LIST_URL).content.decode()
    assert "1,45\u00a0€" in page and "1,30\u00a0€" in page
    client.post(DETAILS_URL, details(bakery))
    review = client.get(REVIEW_URL).content.decode()
    assert "price changed" in review.lower() or "prix" in review.lower()


def test_header_counter_counts_articles(client, baguette, bouquet):
    add(client, baguette, 2)
    add(client, bouquet, 1)
    page = client.get("/").content.decode()
    assert '<span class="counter" aria-hidden="true">3</span>' in page


def test_honeypot_filled_in_is_refused(two_shop_list, bakery, flower_shop):
    data = details(bakery, flower_shop, website="http://spam.example")
    assert two_shop_list.post(DETAILS_URL, data).status_code == 400


def test_submit_url_refuses_other_methods(client):
    assert client.put(REVIEW_URL).status_code == 405
    assert client.get(ADD_URL).status_code == 405
    assert client.post(REVIEW_URL, {"idempotency_key": ""}).status_code == 400


def test_rate_limit_per_email_holds(
    client, settings, bakery, baguette, django_capture_on_commit_callbacks
):
    settings.PORTAL_REQUEST_RATE_LIMIT = 2
    for _attempt in range(3):
        add(client, baguette)
        client.post(DETAILS_URL, details(bakery))
        response = send(client, review_key(client), django_capture_on_commit_callbacks)
    assert Checkout.objects.count() == 2  # the third was refused…
    assert response["Location"] == REVIEW_URL
    page = client.get(REVIEW_URL).content.decode()
    assert "Too many requests" in page or "Trop de demandes" in page
    assert client.session[SESSION_KEY]  # …and what the resident chose is still there


def test_status_page_shows_each_request_and_cancels_a_new_one(
    two_shop_list, bakery, flower_shop, django_capture_on_commit_callbacks
):
    client = two_shop_list
    client.post(DETAILS_URL, details(bakery, flower_shop))
    send(client, review_key(client), django_capture_on_commit_callbacks)
    checkout = Checkout.objects.get()
    status_url = f"/ma-demande/suivi/{checkout.status_token}/"
    bread = OrderRequest.objects.get(shop=bakery)
    page = client.get(status_url).content.decode()
    assert bread.reference in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(status_url, {"cancel": bread.reference})
    bread.refresh_from_db()
    assert bread.status == Status.CANCELLED
    assert [message.to for message in mail.outbox] == [[bakery.order_email]]
    # A request the shop already accepted can no longer be cancelled here.
    flowers = OrderRequest.objects.get(shop=flower_shop)
    flowers.status = Status.ACCEPTED
    flowers.save()
    client.post(status_url, {"cancel": flowers.reference})
    flowers.refresh_from_db()
    assert flowers.status == Status.ACCEPTED


def test_status_link_is_unguessable_and_private(client, bakery):
    assert client.get("/ma-demande/suivi/not-a-token/").status_code == 404
    assert client.get("/ma-demande/merci/not-a-token/").status_code == 404
    assert len(Checkout(idempotency_key="x", email="a@b.c").status_token) >= 32
    # Two residents, one shop: each link shows its own checkout's request and nothing of
    # the other's, and cannot cancel the other's either.
    maries = builders.order_request(
        bakery, "Marie Dubois", email="marie@example.org", lines=[("Baguette", "1.30", 2)]
    )
    pauls = builders.order_request(
        bakery, "Paul Lambert", email="paul@example.org", lines=[("Tarte aux pommes", "12.00", 1)]
    )
    for own, other in [(maries, pauls), (pauls, maries)]:
        status_url = f"/ma-demande/suivi/{own.checkout.status_token}/"
        status = client.get(status_url)
        confirmation = client.get(f"/ma-demande/merci/{own.checkout.status_token}/")
        assert status.status_code == confirmation.status_code == 200
        for page in (status.content.decode(), confirmation.content.decode()):
            assert own.reference in page
            assert other.reference not in page
        page = status.content.decode()
        assert own.lines.get().product_name in page
        assert other.lines.get().product_name not in page
        page = confirmation.content.decode()
        assert own.email in page
        assert other.email not in page
        assert client.post(status_url, {"cancel": other.reference}).status_code == 404
    assert {order.status for order in OrderRequest.objects.all()} == {Status.NEW}


def test_e_mails_have_an_html_part_in_the_residents_language(
    two_shop_list, bakery, flower_shop, django_capture_on_commit_callbacks
):
    client = two_shop_list
    client.cookies["django_language"] = "en"
    client.post(DETAILS_URL, details(bakery, flower_shop))
    send(client, review_key(client), django_capture_on_commit_callbacks)
    to_resident = next(m for m in mail.outbox if m.to == ["marie@example.org"])
    html, mimetype = to_resident.alternatives[0]
    assert mimetype == "text/html"
    assert OrderRequest.objects.get(shop=bakery).reference in html
    assert "Follow my request" in html  # English, as the resident browsed
    to_shop = next(m for m in mail.outbox if m.to == [bakery.order_email])
    assert "Produits" in to_shop.body  # shops read French, the portal's language


@task()
def exploding_task():
    raise RuntimeError("boom")


def test_a_failing_task_is_recorded_to_fail_the_test(task_failures):
    """The autouse guard in conftest.py fails any test during which a task failed."""
    result = exploding_task.enqueue()
    assert result.status == TaskResultStatus.FAILED
    assert task_failures and "boom" in task_failures[0]
    task_failures.clear()  # this test fails a task on purpose


@pytest.mark.parametrize(
    "next_url", ["0", "orders:list", "https://evil.example/", "//evil.example/", "ma-demande"]
)
def test_adding_goes_back_only_to_a_page_of_the_portal(client, baguette, next_url):
    response = client.post(ADD_URL, {"product": baguette.pk, "quantity": 1, "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    assert client.session[SESSION_KEY]


def test_adding_goes_back_to_the_page_the_resident_came_from(client, baguette):
    page = baguette.shop.url
    response = client.post(ADD_URL, {"product": baguette.pk, "quantity": 1, "next": page})

    assert response["Location"] == page


@pytest.mark.parametrize("key", ["\x00", "clé\x00", "a b", "x" * 65])
def test_a_key_that_no_review_page_gives_is_refused_before_any_query(two_shop_list, key):
    # PostgreSQL refuses a NUL byte in a text parameter: it must never reach a query.
    response = two_shop_list.post(REVIEW_URL, {"idempotency_key": key})

    assert response.status_code == 400


@pytest.mark.parametrize("token", ["%00", "abc%00def", "%C3%A9t%C3%A9"])
def test_a_status_or_confirmation_link_that_no_checkout_gives_is_not_found(client, token):
    assert client.get(f"/ma-demande/merci/{token}/").status_code == 404
    assert client.get(f"/ma-demande/suivi/{token}/").status_code == 404


@pytest.mark.parametrize("reference", ["\x00", "ABCD-23\x00", "abcd-2345", ""])
def test_cancelling_something_that_is_no_reference_is_not_found(client, bakery, reference):
    order = builders.order_request(bakery)
    response = client.post(
        f"/ma-demande/suivi/{order.checkout.status_token}/", {"cancel": reference}
    )

    assert response.status_code == 404
    order.refresh_from_db()
    assert order.status == Status.NEW
