"""The order requests admin: each merchant reads its own shop's requests, the city all of them."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from home.money import format_money
from merchants.models import ShopMembership
from notifications.models import Notification
from orders.admin_views import OrderRequestAdmin
from orders.dashboard import NewRequestsPanel
from orders.models import OrderRequest, StatusChange
from orders.permissions import OrderRequestPermissionHelper

from .. import builders
from ..builders import order_request

pytestmark = pytest.mark.django_db

INDEX = "orders_orderrequest_modeladmin_index"
INSPECT = "orders_orderrequest_modeladmin_inspect"
DASHBOARD = "wagtailadmin_home"


def received(request, days_ago):
    OrderRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )


def inspect_url(request_or_pk):
    return reverse(INSPECT, args=[getattr(request_or_pk, "pk", request_or_pk)])


@pytest.fixture
def bakers_request(bakery):
    return order_request(
        bakery,
        "Marie Dubois",
        lines=[("Baguette tradition", "1.30", 2), ("Croissant", "1.20", 3)],
        fulfilment="delivery",
        delivery_fee="5.00",
        street_address="Rue Haute 3",
        postcode="7000",
        town="Valbourg",
        message="Bien cuite, s'il vous plaît",
    )


@pytest.fixture
def florists_request(flower_shop):
    return order_request(flower_shop, "Odile Lefleur", lines=[("Bouquet de saison", "25.00", 1)])


@pytest.fixture
def shopless_user(django_user_model):
    """Someone who may enter the admin but manages no shop (a former merchant, say)."""
    user = django_user_model.objects.create_user("ancien", "ancien@example.org", "secret")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def page_for(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    return response, response.content.decode()


def csv_rows(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


# Listing, search, filters


def test_baker_lists_only_the_bakerys_requests(client, baker, bakers_request, florists_request):
    response, page = page_for(client, baker, reverse(INDEX))

    assert response.status_code == 200
    assert bakers_request.reference in page
    assert "Marie Dubois" in page
    assert florists_request.reference not in page
    assert "Odile Lefleur" not in page
    # Nor the other shop's name, not even in the filters.
    assert "Fleurs de Lys" not in page


def test_city_editor_lists_every_shops_requests(
    client, city_editor, bakers_request, florists_request
):
    response, page = page_for(client, city_editor, reverse(INDEX))

    assert response.status_code == 200
    assert bakers_request.reference in page
    assert florists_request.reference in page
    # The shop filter offers every shop to the city.
    assert "?shop=" in page
    assert "Boulangerie Dupont" in page
    assert "Fleurs de Lys" in page


def test_baker_finds_own_request_by_reference(client, baker, bakers_request):
    _response, page = page_for(client, baker, reverse(INDEX), q=bakers_request.reference)

    assert f'href="{inspect_url(bakers_request)}"' in page


def test_baker_cannot_find_the_florists_request_by_reference(
    client, baker, bakers_request, florists_request
):
    _response, page = page_for(client, baker, reverse(INDEX), q=florists_request.reference)

    # The reference itself is echoed in the search box; the request must not be listed.
    assert f'href="{inspect_url(florists_request)}"' not in page
    assert "Odile Lefleur" not in page
    assert f'href="{inspect_url(bakers_request)}"' not in page


def test_merchant_of_two_shops_filters_by_own_shops_only(
    client, baker, bakery, flower_shop, bakers_request, florists_request
):
    pastry = builders.shop("Pâtisserie Dupont", slug="patisserie-dupont")
    ShopMembership.objects.create(user=baker, shop=pastry)
    pastry_request = order_request(pastry, "Jean Gâteau", lines=[("Éclair", "2.50", 4)])

    _response, page = page_for(client, baker, reverse(INDEX))
    assert "Pâtisserie Dupont" in page
    assert f"?shop={pastry.pk}" in page
    assert f"?shop={flower_shop.pk}" not in page
    assert "Fleurs de Lys" not in page

    _response, page = page_for(client, baker, reverse(INDEX), shop=pastry.pk)
    assert pastry_request.reference in page
    assert bakers_request.reference not in page


def test_baker_asking_for_the_florists_shop_gets_nothing(
    client, baker, flower_shop, bakers_request, florists_request
):
    response, page = page_for(client, baker, reverse(INDEX), shop=flower_shop.pk)

    assert response.status_code == 200
    assert florists_request.reference not in page
    assert bakers_request.reference not in page


def test_list_refuses_lookups_other_than_its_filters(client, baker, bakery, flower_shop):
    # One checkout, two shops: a free ORM lookup would let the baker probe what the same
    # resident asked the florist for.
    bakers = order_request(bakery, "Marie Dubois", lines=[("Baguette tradition", "1.30", 1)])
    order_request(
        flower_shop,
        "Marie Dubois",
        checkout=bakers.checkout,
        lines=[("Bouquet de saison", "25.00", 1)],
    )

    response, page = page_for(
        client,
        baker,
        reverse(INDEX),
        checkout__requests__lines__product_name__startswith="Bouquet",
    )

    assert response.status_code == 400
    assert bakers.reference not in page


def test_status_filter_narrows_the_list(client, baker, bakery, bakers_request):
    accepted = order_request(
        bakery, "Paul Martin", status="accepted", lines=[("Pain de seigle", "3.10", 1)]
    )

    _response, page = page_for(client, baker, reverse(INDEX), status__exact="accepted")

    assert accepted.reference in page
    assert bakers_request.reference not in page


# Export


def test_baker_exports_only_the_bakerys_requests_as_csv(
    client, baker, bakers_request, florists_request
):
    client.force_login(baker)
    response = client.get(reverse(INDEX), {"export": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "order-requests.csv" in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    # Headings are labels, not attribute names.
    assert "get_status_display" not in header
    assert [row[0] for row in rows] == [bakers_request.reference]
    flat = "\n".join(",".join(row) for row in rows)
    assert "Odile Lefleur" not in flat
    assert florists_request.reference not in flat


def test_csv_export_carries_amounts_as_numbers(client, baker, bakery):
    request = order_request(bakery, "Paul Martin", lines=[("Baguette tradition", "1.30", 2)])

    client.force_login(baker)
    _header, row = csv_rows(client.get(reverse(INDEX), {"export": "csv"}))
    values = dict(zip(OrderRequestAdmin.list_export, row, strict=True))

    assert values["reference"] == request.reference
    assert values["shop"] == "Boulangerie Dupont"
    assert values["items_total"] == "2.60"
    # A zero fee is 0.00, not modeladmin's "-" for every falsy value.
    assert values["delivery_fee"] == "0.00"
    assert values["total"] == "2.60"
    assert values["commission"] == "0.26"


def test_baker_exports_only_the_bakerys_requests_as_xlsx(
    client, baker, bakers_request, florists_request
):
    client.force_login(baker)
    response = client.get(reverse(INDEX), {"export": "xlsx"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    references = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert references == [bakers_request.reference]


def test_csv_export_defuses_formulas_typed_by_residents(client, baker, bakery):
    order_request(bakery, '=HYPERLINK("http://evil.example","x")', lines=[("Pain", "2.00", 1)])

    client.force_login(baker)
    _header, row = csv_rows(client.get(reverse(INDEX), {"export": "csv"}))

    assert '\'=HYPERLINK("http://evil.example","x")' in row
    assert not any(cell.startswith("=") for cell in row)


def test_city_editor_exports_every_shops_requests(
    client, city_editor, bakers_request, florists_request
):
    client.force_login(city_editor)
    _header, *rows = csv_rows(client.get(reverse(INDEX), {"export": "csv"}))

    assert {row[0] for row in rows} == {bakers_request.reference, florists_request.reference}


# Inspect


def test_baker_opens_own_request_with_lines_totals_and_commission(client, baker, bakers_request):
    response, page = page_for(client, baker, inspect_url(bakers_request))

    assert response.status_code == 200
    for text in (
        bakers_request.reference,
        "Boulangerie Dupont",
        "Marie Dubois",
        "resident@example.org",
        "0470 12 34 56",
        "Rue Haute 3",
        "Baguette tradition",
        "Croissant",
        "Bien cuite, s&#x27;il vous plaît",
    ):
        assert text in page, text
    money = [
        "1.30",  # baguette, unit
        "2.60",  # baguette, line
        "3.60",  # croissants, line
        "6.20",  # items total
        "5.00",  # delivery fee
        "11.20",  # total
        "0.62",  # commission: 10 % of the goods only, not of the fee
    ]
    for amount in money:
        assert format_money(Decimal(amount), "fr") in page, amount
    assert format_money(Decimal("1.12"), "fr") not in page  # 10 % of goods and fee


def test_request_page_shows_its_status_history(client, baker, bakers_request):
    StatusChange.objects.create(request=bakers_request, status="new")
    StatusChange.objects.create(
        request=bakers_request, status="declined", by=baker, note="Plus de croissants ce jour-là"
    )

    _response, page = page_for(client, baker, inspect_url(bakers_request))

    assert "Plus de croissants ce jour-là" in page
    assert "boulanger" in page  # who declined


def test_request_page_shows_the_mail_status_of_this_request_only(
    client, baker, bakery, flower_shop
):
    bakers = order_request(bakery, "Marie Dubois", lines=[("Baguette tradition", "1.30", 1)])
    florists = order_request(
        flower_shop, "Marie Dubois", checkout=bakers.checkout, lines=[("Bouquet", "25.00", 1)]
    )
    sent_at = timezone.now()
    Notification.objects.create(
        to="commandes@boulangerie-dupont.example",
        template="orders/request_received_shop",
        language="fr",
        reference=bakers.reference,
        attempts=1,
        sent_at=sent_at,
    )
    # The resident's one confirmation names both requests.
    Notification.objects.create(
        to="resident@example.org",
        template="orders/checkout_confirmation",
        language="fr",
        reference=f"{florists.reference},{bakers.reference}",
        attempts=3,
    )
    Notification.objects.create(
        to="commandes@fleurs-de-lys.example",
        template="orders/request_received_florist_only",
        language="fr",
        reference=florists.reference,
    )

    _response, page = page_for(client, baker, inspect_url(bakers))

    assert "orders/request_received_shop" in page
    assert "orders/checkout_confirmation" in page
    assert "orders/request_received_florist_only" not in page
    assert florists.reference not in page
    assert "Bouquet" not in page


def test_florist_cannot_open_bakers_request(client, florist, bakers_request):
    response, page = page_for(client, florist, inspect_url(bakers_request))

    assert response.status_code == 404
    for secret in (bakers_request.reference, "Marie Dubois", "Baguette tradition", "Rue Haute"):
        assert secret not in page


def test_baker_cannot_open_florists_request(client, baker, florists_request):
    response, page = page_for(client, baker, inspect_url(florists_request))

    assert response.status_code == 404
    assert "Odile Lefleur" not in page
    assert "Bouquet de saison" not in page


def test_opening_a_missing_request_is_not_found(client, baker, bakers_request):
    response, _page = page_for(client, baker, inspect_url(bakers_request.pk + 1000))

    assert response.status_code == 404


def test_city_editor_opens_any_shops_request(client, city_editor, florists_request):
    response, page = page_for(client, city_editor, inspect_url(florists_request))

    assert response.status_code == 200
    assert "Bouquet de saison" in page


# Who gets in


def test_visitor_is_sent_to_the_login_page(client, bakers_request):
    for url in (reverse(INDEX), inspect_url(bakers_request)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_user_without_a_shop_cannot_list_requests(client, shopless_user, bakers_request):
    response, _page = page_for(client, shopless_user, reverse(INDEX))

    # Wagtail sends a user without the permission back to the dashboard.
    assert response.status_code == 302
    assert response["Location"] == reverse(DASHBOARD)
    assert client.get(reverse(INDEX), {"export": "csv"}).status_code == 302
    assert client.get(inspect_url(bakers_request)).status_code == 403


def test_menu_offers_order_requests_to_merchants_only(client, baker, shopless_user):
    _response, page = page_for(client, baker, reverse(DASHBOARD))
    assert reverse(INDEX) in page

    _response, page = page_for(client, shopless_user, reverse(DASHBOARD))
    assert reverse(INDEX) not in page


def test_no_one_creates_edits_or_deletes_a_request_in_the_admin(city_editor, baker, bakers_request):
    helper = OrderRequestPermissionHelper(OrderRequest, inspect_view_enabled=True)
    for user in (city_editor, baker):
        assert not helper.user_can_create(user)
        assert not helper.user_can_edit_obj(user, bakers_request)
        assert not helper.user_can_delete_obj(user, bakers_request)
    assert helper.user_can_inspect_obj(baker, bakers_request)


# Every URL modeladmin registers for this model, checked against another shop's request

REGISTERED = OrderRequestAdmin().get_admin_urls_for_registration()
INSTANCE_URL_NAMES = sorted(
    pattern.name for pattern in REGISTERED if "instance_pk" in pattern.pattern.regex.groupindex
)


def test_only_the_list_the_request_page_and_the_shops_answers_are_registered():
    names = {pattern.name for pattern in REGISTERED}
    answers = (
        "accept",
        "ready",
        "out_for_delivery",
        "complete",
        "decline",
        "not_collected",
        "at_point",
    )
    assert names == {INDEX, INSPECT, *(f"orders_orderrequest_modeladmin_{a}" for a in answers)}
    # The resolver serves nothing else for this model, whoever registered it.
    served = {
        name
        for name in get_resolver().reverse_dict
        if isinstance(name, str) and name.startswith("orders_orderrequest")
    }
    assert served == names
    for action in ("create", "edit", "delete", "history", "choose_parent"):
        with pytest.raises(NoReverseMatch):
            reverse(f"orders_orderrequest_modeladmin_{action}", args=[1])


@pytest.mark.parametrize("url_name", INSTANCE_URL_NAMES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_request_url_refuses_another_shops_request(
    client, baker, florists_request, url_name, method
):
    client.force_login(baker)
    response = getattr(client, method)(reverse(url_name, args=[florists_request.pk]))

    assert response.status_code == 404
    assert "Odile Lefleur" not in response.content.decode()


@pytest.mark.parametrize("url_name", INSTANCE_URL_NAMES)
def test_every_request_url_answers_404_for_a_missing_request(client, baker, url_name):
    client.force_login(baker)
    assert client.get(reverse(url_name, args=[999999])).status_code == 404


@pytest.mark.parametrize("action", ["create", "edit/{pk}", "delete/{pk}", "history/{pk}"])
def test_modeladmin_default_views_are_not_served(client, city_editor, bakers_request, action):
    client.force_login(city_editor)
    url = f"{reverse(INDEX)}{action.format(pk=bakers_request.pk)}/"
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


# Dashboard


def test_dashboard_lists_the_bakers_new_requests_oldest_first(
    client, baker, bakery, bakers_request, florists_request
):
    older = order_request(bakery, "Paul Martin", lines=[("Pain de seigle", "3.10", 1)])
    received(older, days_ago=2)
    answered = order_request(bakery, "Luc Renard", status="accepted", lines=[("Pain", "2.00", 1)])

    response, page = page_for(client, baker, reverse(DASHBOARD))

    assert response.status_code == 200
    assert 'id="orders-new-requests' in page
    assert page.index(inspect_url(older)) < page.index(inspect_url(bakers_request))
    assert answered.reference not in page
    assert florists_request.reference not in page


def test_dashboard_shows_the_ten_oldest_new_requests(client, baker, bakery):
    requests = [
        order_request(bakery, f"Client {n}", lines=[("Pain", "2.00", 1)]) for n in range(11)
    ]
    for days_ago, request in enumerate(reversed(requests)):
        received(request, days_ago)

    _response, page = page_for(client, baker, reverse(DASHBOARD))

    assert all(request.reference in page for request in requests[:10])
    assert requests[10].reference not in page  # the newest waits for the list
    assert f"{reverse(INDEX)}?status__exact=new" in page


def test_dashboard_panel_counts_every_new_request_of_the_users_shops(
    rf, baker, bakery, flower_shop
):
    for n in range(12):
        order_request(bakery, f"Client {n}", lines=[("Pain", "2.00", 1)])
    order_request(bakery, "Luc Renard", status="completed", lines=[("Pain", "2.00", 1)])
    order_request(flower_shop, "Odile Lefleur", lines=[("Bouquet", "25.00", 1)])
    request = rf.get(reverse(DASHBOARD))
    request.user = baker

    context = NewRequestsPanel().get_context_data({"request": request})

    assert context["new_count"] == 12
    assert len(context["new_requests"]) == 10
    assert {r.shop_id for r in context["new_requests"]} == {bakery.pk}


def test_city_editor_dashboard_lists_every_shops_new_requests(
    client, city_editor, bakers_request, florists_request
):
    _response, page = page_for(client, city_editor, reverse(DASHBOARD))

    assert bakers_request.reference in page
    assert florists_request.reference in page


def test_dashboard_has_no_requests_panel_for_a_user_without_a_shop(
    client, shopless_user, bakers_request
):
    response, page = page_for(client, shopless_user, reverse(DASHBOARD))

    assert response.status_code == 200
    assert 'id="orders-new-requests' not in page
    assert bakers_request.reference not in page
