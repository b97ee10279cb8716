"""Delivery by the town's courier at checkout: offered with its fee and windows, stored with
a place in the window, a taken window sent back to the form with a message next to it."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from courier.checkout import STALE
from courier.models import Stop
from courier.windows import open_slots
from orders.models import OrderRequest
from tests import builders
from tests.timetravel import travel

pytestmark = pytest.mark.django_db

ADD_URL = "/ma-demande/ajouter/"
DETAILS_URL = "/ma-demande/coordonnees/"
REVIEW_URL = "/ma-demande/verifier/"
# Tuesday 8 June 2027, 10:00 in Brussels.
TUESDAY_MORNING = "2027-06-08T08:00:00+00:00"


def details(shop, window, **overrides):
    data = {
        "name": "Marie Dubois",
        "email": "marie@example.org",
        "phone": "0470 12 34 56",
        "street_address": "Rue Haute 3",
        "postcode": "7011",
        "town": "Valbourg",
        "consent": "on",
        f"shop_{shop.pk}_fulfilment": "courier",
        f"shop_{shop.pk}_courier_window": window,
        f"shop_{shop.pk}_courier_notes": "Code 1234, 2e étage",
    }
    data.update(overrides)
    return data


def review_key(client):
    response = client.get(REVIEW_URL)
    assert response.status_code == 200, response.get("Location")
    return re.search(r'name="idempotency_key" value="([^"]+)"', response.content.decode())[1]


@pytest.fixture
def tuesday():
    with travel(TUESDAY_MORNING):
        yield timezone.now()


@pytest.fixture
def listed(tuesday, client, baguette):
    client.post(ADD_URL, {"product": baguette.pk, "quantity": 2})
    return client


def test_the_courier_is_offered_with_its_fee_and_windows(listed, bakery, cargo_bikes, tuesday):
    response = listed.get(DETAILS_URL)
    page = response.content.decode()

    assert 'value="courier"' in page
    assert "Vélocité (4,00\xa0€)" in page
    first = open_slots(cargo_bikes, bakery)[0]
    assert f'value="{first.value}"' in page
    assert ">Mardi 8 juin, 17:00–19:00<" in page


def test_a_shop_without_courier_delivery_does_not_offer_it(listed, bakery, cargo_bikes, tuesday):
    bakery.courier_delivery = False
    bakery.save_revision().publish()
    assert 'value="courier"' not in listed.get(DETAILS_URL).content.decode()


def test_sending_stores_the_courier_fee_outside_the_commission_and_a_place_in_the_window(
    listed, bakery, cargo_bikes, tuesday, django_capture_on_commit_callbacks
):
    slot = open_slots(cargo_bikes, bakery)[0]
    assert listed.post(DETAILS_URL, details(bakery, slot.value)).status_code == 302
    review = listed.get(REVIEW_URL).content.decode()
    assert "Mardi 8 juin, 17:00–19:00" in review
    # Paid on hand-over (the shop's default): to the courier, for the shop.
    assert "6,60\xa0€" in review

    with django_capture_on_commit_callbacks(execute=True):
        listed.post(REVIEW_URL, {"idempotency_key": review_key(listed)})

    order = OrderRequest.objects.get()
    assert order.fulfilment == "courier"
    assert order.delivery_fee == Decimal("4.00")
    assert order.commission_base == Decimal("2.60")  # the goods only
    assert (order.street_address, order.postcode) == ("Rue Haute 3", "7011")
    stop = order.courier_stop
    assert (stop.courier, stop.window, stop.starts_at) == (cargo_bikes, slot.window, slot.starts_at)
    assert stop.notes == "Code 1234, 2e étage"
    # The shop knows when the courier comes; the resident what to pay, and to whom.
    to = {message.to[0]: message.body for message in mail.outbox}
    assert "Vélocité" in to[bakery.order_email] and "17:00–19:00" in to[bakery.order_email]
    assert "Rue Haute 3" in to[bakery.order_email]
    assert "6,60\xa0€ à Vélocité" in to["marie@example.org"]
    # The resident's status page says when, and what to pay to whom.
    status = listed.get(f"/ma-demande/suivi/{order.checkout.status_token}/").content.decode()
    assert "Vélocité" in status and "6,60\xa0€" in status and "17:00–19:00" in status


def test_paying_beforehand_names_the_shop_and_its_instructions(
    listed, bakery, cargo_bikes, tuesday
):
    bakery.courier_payment = "beforehand"
    bakery.prepayment_instructions = "Virement BE12 3456 7890 1234."
    bakery.save_revision().publish()
    slot = open_slots(cargo_bikes, bakery)[0]
    listed.post(DETAILS_URL, details(bakery, slot.value))

    review = listed.get(REVIEW_URL).content.decode()

    assert "Boulangerie Dupont" in review and "Virement BE12 3456 7890 1234." in review
    assert "4,00\xa0€" in review


def test_a_postcode_outside_the_zones_is_refused_next_to_the_choice(
    listed, bakery, cargo_bikes, tuesday
):
    slot = open_slots(cargo_bikes, bakery)[0]
    response = listed.post(DETAILS_URL, details(bakery, slot.value, postcode="7500"))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "7500" in errors[f"shop_{bakery.pk}_fulfilment"][0]
    assert 'value="Rue Haute 3"' in response.content.decode()


def test_a_window_taken_meanwhile_sends_the_resident_back_with_a_message_next_to_it(
    listed, bakery, cargo_bikes, tuesday, django_capture_on_commit_callbacks
):
    slot = open_slots(cargo_bikes, bakery)[0]
    listed.post(DETAILS_URL, details(bakery, slot.value))
    key = review_key(listed)
    for name in ("Jean Martin", "Anne Leroy"):  # the window's two places go elsewhere
        Stop.objects.create(
            request=builders.order_request(bakery, name, fulfilment="courier"),
            courier=cargo_bikes,
            window=slot.window,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
        )

    with django_capture_on_commit_callbacks(execute=True):
        response = listed.post(REVIEW_URL, {"idempotency_key": key})

    assert response.status_code == 302 and response["Location"] == DETAILS_URL
    assert not OrderRequest.objects.filter(name="Marie Dubois").exists()
    form = listed.get(DETAILS_URL)
    assert str(STALE) in form.context["form"].errors[f"shop_{bakery.pk}_courier_window"][0]
    assert 'value="Rue Haute 3"' in form.content.decode()


def test_a_window_taken_between_review_and_sending_stores_nothing(
    listed, bakery, cargo_bikes, tuesday, django_capture_on_commit_callbacks
):
    """The review still finds the window open; the place is taken at the very last moment:
    `place` counts again under the window's lock and stores nothing."""
    from wagtail.models import Site

    from orders.checkout import NotPlaced, place
    from orders.forms import CheckoutForm
    from orders.request_list import RequestList

    slot = open_slots(cargo_bikes, bakery)[0]
    groups, _orphans = RequestList(listed.session).groups()
    form = CheckoutForm(details(bakery, slot.value), groups=groups)
    assert form.is_valid(), form.errors
    for name in ("Jean Martin", "Anne Leroy"):
        Stop.objects.create(
            request=builders.order_request(bakery, name, fulfilment="courier"),
            courier=cargo_bikes,
            window=slot.window,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
        )
    site = Site.objects.get(is_default_site=True)
    with pytest.raises(NotPlaced):
        place(groups, form.cleaned_data, key="k", language="fr", site=site)
    assert not OrderRequest.objects.filter(name="Marie Dubois").exists()


def test_a_new_stop_comes_after_those_the_courier_put_in_order(
    listed, bakery, cargo_bikes, tuesday, django_capture_on_commit_callbacks
):
    slot = open_slots(cargo_bikes, bakery)[0]
    arranged = Stop.objects.create(
        request=builders.order_request(
            bakery, "Jean Martin", fulfilment="courier", postcode="7011"
        ),
        courier=cargo_bikes,
        window=slot.window,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        position=3,
    )
    listed.post(DETAILS_URL, details(bakery, slot.value))
    with django_capture_on_commit_callbacks(execute=True):
        listed.post(REVIEW_URL, {"idempotency_key": review_key(listed)})

    new = Stop.objects.exclude(pk=arranged.pk).get()
    assert new.position == 4
    sheet = list(Stop.objects.filter(starts_at=slot.starts_at).for_sheet())
    assert sheet == [arranged, new]  # same postcode: the courier's order, then the new one
