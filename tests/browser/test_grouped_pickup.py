"""A grouped pick-up on phones: a resident sends two shops' products to the town hall's
reception, both shops mark them delivered to the point, and the point's staff hand them
over."""

from datetime import time
from decimal import Decimal

import pytest
from django.utils import timezone

from collection.checkout import offered_days
from collection.models import CollectionPoint, GroupedPickup, PickupState, PointStaff
from merchants.models import ShopMembership
from orders.models import OrderRequest, Status
from tests import builders

from .test_merchant_path import PASSWORD, log_in
from .test_resident_path import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def town(django_user_model):
    point = CollectionPoint(
        name="Accueil de l'hôtel de ville",
        street_address="Grand-Place 1",
        postcode="7000",
        town="Valbourg",
        capacity_per_day=20,
    )
    for weekday in range(6):
        point.opening_hours.create(weekday=weekday, opens=time(9), closes=time(19))
    point.save()
    shops = []
    for username, title in (("boulanger", "Boulangerie Dupont"), ("fleuriste", "Fleurs de Lys")):
        shop = builders.shop(title, grouped_pickup=True)
        user = django_user_model.objects.create_user(username=username, password=PASSWORD)
        ShopMembership.objects.create(user=user, shop=shop)
        shops.append(shop)
    staff = django_user_model.objects.create_user(username="accueil", password=PASSWORD)
    PointStaff.objects.create(point=point, user=staff)
    products = [
        builders.product(shops[0], "Baguette tradition", price=Decimal("1.30")),
        builders.product(shops[1], "Bouquet de saison", price=Decimal("25.00")),
    ]
    return point, shops, products


def phone(browser):
    return browser.new_context(viewport=PHONE, locale="fr-BE").new_page()


def test_a_two_shop_grouped_pick_up_from_the_resident_to_the_point(browser, live_server, town):
    point, shops, products = town
    base = live_server.url
    day = offered_days(point, shops, timezone.localdate())[1]

    resident = phone(browser)
    for product in products:
        resident.goto(base + product.url)
        resident.click("button:has-text('Ajouter à ma demande')")
    resident.goto(f"{base}/ma-demande/coordonnees/")
    resident.fill("#id_name", "Marie Dubois")
    resident.fill("#id_email", "marie@example.org")
    resident.fill("#id_phone", "0470 12 34 56")
    for shop in shops:
        resident.check(f"#id_shop_{shop.pk}_fulfilment_1")  # Retrait groupé à l'accueil…
    assert resident.is_checked("#id_collection_point_0")  # the only point
    resident.fill("#id_collection_day", day.isoformat())
    assert_accessible(resident, "details with a grouped pick-up")
    resident.check("#id_consent")
    resident.click("main button[type=submit]")
    assert resident.locator("h1").inner_text() == "Vérifiez votre demande"
    assert "Retrait groupé à Accueil de l'hôtel de ville" in resident.inner_text("main")
    assert_accessible(resident, "check a grouped pick-up")
    resident.click("button:has-text('Envoyer ma demande')")
    pickup = GroupedPickup.objects.get()
    assert pickup.reference in resident.inner_text("main")
    resident.context.close()

    for username, shop in zip(("boulanger", "fleuriste"), shops, strict=True):
        order = OrderRequest.objects.get(shop=shop)
        merchant = phone(browser)
        log_in(merchant, base, username)
        merchant.click(f"a:has-text('{order.reference}')")
        with merchant.expect_navigation():
            merchant.click("#action-accept button[type=submit]")
        with merchant.expect_navigation():
            merchant.click("#action-at_point button[type=submit]")
        assert order.reference in merchant.locator(".messages").inner_text()
        merchant.context.close()
    assert set(OrderRequest.objects.values_list("status", flat=True)) == {Status.AT_POINT}

    staff = phone(browser)
    log_in(staff, base, "accueil")
    staff.click(".w-panel--dashboard a:has-text('Ouvrir la liste du jour')")
    staff.fill("#id_day", day.isoformat())
    with staff.expect_navigation():
        staff.click("button:has-text('Afficher ce jour')")
    card = staff.locator(".collection-card", has_text=pickup.reference)
    assert "Marie Dubois" in card.inner_text() and "marie@example.org" not in card.inner_text()
    for shop in shops:
        with staff.expect_navigation():
            staff.click(f"button:has-text('Reçu de {shop.title}')")
    with staff.expect_navigation():
        staff.click("button:has-text('Remis')")
    assert pickup.reference in staff.locator(".messages").inner_text()
    staff.context.close()

    pickup.refresh_from_db()
    assert pickup.state == PickupState.HANDED_OVER
    assert set(OrderRequest.objects.values_list("status", flat=True)) == {Status.COMPLETED}
