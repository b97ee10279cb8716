"""Whatever a resident, a bot or a shop-to-be types, the public forms answer, never fail.

Hypothesis throws text of every kind (control characters, NUL, right-to-left marks,
emoji, very long strings, numbers where words are expected) at each public form: the
request list, the contact details of the checkout, the review step, the application form,
the search and the click beacon. Every answer is a page with a message, a redirect or a
plain refusal, never a 500; a form that refuses input shows the error and keeps what was
typed; and nothing the town already stored (requests, products, shops, applications,
accounts) changes.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils.html import escape
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from insights.counting import flush
from merchants.models import MerchantApplication, MerchantPage
from orders.models import Checkout, OrderRequest, OrderRequestLine
from products.models import Product

from . import builders

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    database=None,  # no example database written into the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any Unicode text a browser can send (lone surrogates cannot be encoded in a request).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
# Words that mean something to the forms, mixed with anything at all.
VALUE = st.one_of(
    TEXT,
    st.sampled_from(["", " ", "0", "-1", "1e9", "99999999999999999999", "on", "NaN", "null"]),
    st.integers(min_value=-(2**63), max_value=2**63).map(str),
    st.sampled_from(["<script>alert(1)</script>", "' OR 1=1 --", '=HYPERLINK("x")', "\x00"]),
)
SHOP_PRODUCT = "a product the town sells"
REFUSED = re.compile(r'class="[^"]*(errorlist|message|error)[^"]*"')


def stored_state():
    """Everything stored that no public form may change (a form may add rows)."""
    return {
        "requests": list(OrderRequest.objects.order_by("pk").values()),
        "lines": list(OrderRequestLine.objects.order_by("pk").values()),
        "checkouts": list(Checkout.objects.order_by("pk").values()),
        "products": list(Product.objects.order_by("pk").values()),
        "shops": list(MerchantPage.objects.order_by("pk").values("pk", "title", "live")),
        "applications": list(MerchantApplication.objects.order_by("pk").values()),
        "users": list(get_user_model().objects.order_by("pk").values()),
    }


@pytest.fixture
def town(bakery, flower_shop, baker):
    baguette = builders.product(bakery, "Baguette", price="1.30")
    bouquet = builders.product(flower_shop, "Bouquet", price="25.00")
    builders.order_request(bakery)
    MerchantApplication.objects.create(
        shop_name="Librairie du Coin",
        contact_name="Anne",
        email="anne@example.org",
        phone="0470 00 00 00",
        street_address="Rue Basse 1",
        postcode="7000",
        town="Valbourg",
    )
    return {"bakery": bakery, "flower_shop": flower_shop, "products": [baguette, bouquet]}


@pytest.fixture
def before(town):
    return stored_state()


def assert_unchanged(before):
    """Every row stored before is still there, as it was; new rows are the forms' own."""
    after = stored_state()
    for table, rows in before.items():
        known = {row["pk"] if "pk" in row else row["id"] for row in rows}
        kept = [row for row in after[table] if row.get("pk", row.get("id")) in known]
        assert kept == rows, table


def plausible(*values):
    """What a person would type, or anything at all."""
    return st.one_of(st.sampled_from(values), VALUE)


def assert_kept(response, typed):
    """A refused form shows why and still holds what was typed."""
    page = response.content.decode()
    assert REFUSED.search(page), "a refused form says why"
    for value in typed:
        if value.strip() and "\x00" not in value and "\r" not in value:
            assert escape(value.strip()) in page or escape(value) in page


@FUZZ
@given(product=st.one_of(VALUE, st.just(SHOP_PRODUCT)), quantity=VALUE, next_url=VALUE)
def test_the_request_list_takes_any_input(client, town, before, product, quantity, next_url):
    if product == SHOP_PRODUCT:
        product = str(town["products"][0].pk)
    for url in ("/ma-demande/ajouter/", "/ma-demande/modifier/"):
        response = client.post(url, {"product": product, "quantity": quantity, "next": next_url})
        # An unknown product is a 404 page; anything else goes back to a page with a message.
        assert response.status_code in (302, 404), (url, response.status_code)
        if response.status_code == 302:
            assert not response["Location"].startswith(("//", "http")), "no open redirect"
    assert client.get("/ma-demande/").status_code == 200
    assert_unchanged(before)


@FUZZ
@given(
    fields=st.fixed_dictionaries(
        {
            "name": plausible("Marie Dubois"),
            "email": st.one_of(VALUE, st.emails()),
            "phone": plausible("0470 12 34 56"),
            "street_address": plausible("Rue Haute 3"),
            "postcode": plausible("7000"),
            "town": plausible("Valbourg"),
            "consent": st.sampled_from(["on", "", "off"]),
            "fulfilment": st.sampled_from(["pickup", "delivery", "", "teleport"]),
            "preferred_date": st.one_of(VALUE, st.dates().map(str)),
            "message": VALUE,
        }
    ),
    key=plausible("a-key-from-the-review-page"),
)
def test_the_checkout_takes_any_input(client, town, before, fields, key):
    for product in town["products"]:
        client.post("/ma-demande/ajouter/", {"product": product.pk, "quantity": 1})
    data = {k: v for k, v in fields.items() if k not in ("fulfilment", "preferred_date", "message")}
    for shop in (town["bakery"], town["flower_shop"]):
        for name in ("fulfilment", "preferred_date", "message"):
            data[f"shop_{shop.pk}_{name}"] = fields[name]

    response = client.post("/ma-demande/coordonnees/", data)
    event(f"details: {response.status_code}")
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert_kept(response, [fields["name"], fields["phone"], fields["town"]])

    response = client.post("/ma-demande/verifier/", {"idempotency_key": key})
    event(f"send: {response.status_code} {response.get('Location', '')[:16]}")
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        # Back to the form, or on to a confirmation: never someone else's.
        assert response["Location"].startswith("/ma-demande/")
    assert_unchanged(before)


@FUZZ
@given(
    fields=st.fixed_dictionaries(
        {
            "shop_name": plausible("Librairie Page"),
            "contact_name": plausible("Paul Page"),
            "email": st.one_of(VALUE, st.emails()),
            "phone": plausible("065 12 34 56"),
            "street_address": plausible("Grand-Rue 8"),
            "postcode": plausible("7000"),
            "town": plausible("Valbourg"),
            "categories": st.lists(VALUE, max_size=3),
            "offers_pickup": st.sampled_from(["on", ""]),
            "offers_delivery": st.sampled_from(["on", ""]),
            "message": VALUE,
            "consent": st.sampled_from(["on", ""]),
        }
    )
)
def test_the_application_form_takes_any_input(client, town, before, fields):
    response = client.post("/inscrire-mon-commerce/", fields)
    event(f"application: {response.status_code}")
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert_kept(response, [fields["shop_name"], fields["contact_name"], fields["town"]])
    assert_unchanged(before)  # a valid application is a new row


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "q",
                "kind",
                "category",
                "neighbourhood",
                "product_category",
                "available",
                "pickup",
                "delivery",
                "sort",
                "page",
                "shops_page",
            ]
        ),
        VALUE,
    )
)
def test_the_search_takes_any_input(client, town, before, params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    response = client.get("/search/suggest/", {"q": params.get("q", "")})
    assert response.status_code in (200, 400)
    assert_unchanged(before)


@FUZZ
@given(
    body=st.one_of(
        st.fixed_dictionaries({"event": VALUE, "shop": VALUE, "product": VALUE}),
        st.fixed_dictionaries(
            {
                "event": st.sampled_from(["call", "directions", "website", "social", "share"]),
                "shop": st.one_of(VALUE, st.integers()),
                "product": st.one_of(VALUE, st.integers(), st.none()),
            }
        ),
    ),
    as_json=st.booleans(),
    raw=st.one_of(st.none(), st.binary(max_size=2000)),
)
def test_the_beacon_takes_any_input(client, town, before, body, as_json, raw):
    if raw is not None:
        response = client.generic(
            "POST", "/statistiques/beacon/", raw, content_type="application/json"
        )
    elif as_json:
        response = client.post("/statistiques/beacon/", body, content_type="application/json")
    else:
        body = {k: v for k, v in body.items() if v is not None}
        response = client.post("/statistiques/beacon/", {k: str(v) for k, v in body.items()})
    assert response.status_code in (204, 400)
    flush()
    assert_unchanged(before)
