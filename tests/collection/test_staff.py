"""The point's staff in the admin: their points' day list, on a phone, and its buttons."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset

from collection.access import STAFF_GROUP
from collection.models import GroupedPickup, Parcel, PickupState, PointStaff
from merchants.models import ShopMembership
from orders import transitions
from orders.models import Checkout, Status
from tests import builders

from .conftest import town_hall
from .test_collection_points import ADD, form

pytestmark = pytest.mark.django_db


def staff_of(point, django_user_model, username="accueil"):
    user = django_user_model.objects.create_user(username=username, password="secret")
    PointStaff.objects.create(point=point, user=user)
    return user


def collection_at(point, shops, day=None, *, name="Marie Dubois", accepted=True):
    checkout = Checkout.objects.create(
        idempotency_key=f"k-{name}-{point.pk}-{day}", email=f"{name.split()[0]}@example.org"
    )
    pickup = GroupedPickup.objects.create(
        checkout=checkout, point=point, day=day or timezone.localdate()
    )
    for shop in shops:
        order = builders.order_request(
            shop, name, checkout=checkout, email=checkout.email, fulfilment="collection"
        )
        Parcel.objects.create(pickup=pickup, request=order)
        if accepted:
            transitions.accept(order, None, ready_at=timezone.now())
    return pickup


@pytest.fixture
def staff(point, django_user_model):
    return staff_of(point, django_user_model)


def day_url(point, day=None):
    url = reverse("collection_staff_day", args=[point.pk])
    return f"{url}?day={day.isoformat()}" if day else url


def test_the_staff_find_their_day_list_in_the_menu_and_on_their_home_a_merchant_does_not(
    client, point, staff, baker, grouped_shops
):
    collection_at(point, grouped_shops[:1])
    for user, shown in ((staff, True), (baker, False)):
        builders.admin_login(client, user)
        page = client.get(reverse("wagtailadmin_home")).content.decode()
        assert (reverse("collection_staff_home") in page) is shown
        assert (reverse("collection_staff_day", args=[point.pk]) in page) is shown
    builders.admin_login(client, staff)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "expected today: 1 · ready to hand over: 0" in home


def test_a_staff_member_joins_the_staff_group_and_leaves_it_with_the_last_point(
    point, staff, django_user_model
):
    assert staff.groups.filter(name=STAFF_GROUP).exists()
    assert staff.has_perm("wagtailadmin.access_admin")

    PointStaff.objects.filter(user=staff).delete()

    assert not staff.groups.filter(name=STAFF_GROUP).exists()


def test_the_day_list_shows_name_phone_reference_and_parcels_but_no_email(
    client, point, staff, grouped_shops
):
    pickup = collection_at(point, grouped_shops)
    builders.admin_login(client, staff)

    response = client.get(reverse("collection_staff_home"), follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == day_url(point)
    assert pickup.reference in page
    assert "Marie Dubois" in page and "0470 12 34 56" in page
    assert "Marie@example.org" not in page and "@example.org" not in page
    for shop in grouped_shops:
        assert shop.title in page
    # On hand-over the point collects for the two shops paid there, not the one paid before.
    assert (
        response.context["collections"][0]["to_collect"]
        == 2 * pickup.parcels.first().request.items_total
    )
    assert "paid to the shop beforehand" in page


def test_the_date_switcher_shows_another_day_and_a_bad_date_is_refused_next_to_it(
    client, point, staff, grouped_shops
):
    tomorrow = timezone.localdate() + timedelta(days=1)
    later = collection_at(point, grouped_shops[:1], tomorrow, name="Paul Martin")
    builders.admin_login(client, staff)

    today_page = client.get(day_url(point)).content.decode()
    assert later.reference not in today_page
    # The day shown is the one in the date field, ready to change.
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in today_page
    assert later.reference in client.get(day_url(point, tomorrow)).content.decode()
    response = client.get(day_url(point) + "?day=31/02/2027")
    assert response.status_code == 200
    assert response.context["form"].errors["day"]
    assert "31/02/2027" in response.content.decode()
    for far in ("9999-12-31", "0001-01-01"):  # the day before or after is out of range
        response = client.get(day_url(point) + f"?day={far}")
        assert response.status_code == 200
        assert response.context["form"].errors["day"]
        assert far in response.content.decode()


def test_staff_receive_parcels_then_hand_the_collection_over(client, point, staff, grouped_shops):
    pickup = collection_at(point, grouped_shops[:2])
    builders.admin_login(client, staff)

    for parcel in pickup.parcels.all():
        response = client.post(reverse("collection_staff_received", args=[parcel.pk]))
        assert response.status_code == 302
    pickup.refresh_from_db()
    assert pickup.state == PickupState.READY
    assert "Handed over" in client.get(day_url(point)).content.decode()

    client.post(reverse("collection_staff_handed_over", args=[pickup.pk]))

    pickup.refresh_from_db()
    assert pickup.state == PickupState.HANDED_OVER
    assert {p.request.status for p in pickup.parcels.all()} == {Status.COMPLETED}
    assert all(
        change.by == staff
        for p in pickup.parcels.all()
        for change in p.request.history.filter(status="completed")
    )


def test_not_collected_is_offered_only_after_the_keeping_period(
    client, point, staff, grouped_shops
):
    old_day = timezone.localdate() - timedelta(days=point.keeping_days + 1)
    pickup = collection_at(point, grouped_shops[:1], old_day)
    recent = collection_at(point, grouped_shops[:1], timezone.localdate(), name="Paul Martin")
    builders.admin_login(client, staff)
    for p in (pickup, recent):
        client.post(reverse("collection_staff_received", args=[p.parcels.get().pk]))

    client.post(reverse("collection_staff_not_collected", args=[recent.pk]))
    client.post(reverse("collection_staff_not_collected", args=[pickup.pk]))

    recent.refresh_from_db()
    pickup.refresh_from_db()
    assert recent.state == PickupState.READY
    assert pickup.state == PickupState.NOT_COLLECTED


def test_another_points_staff_and_a_merchant_get_404_and_change_nothing(
    client, point, grouped_shops, django_user_model, baker
):
    pickup = collection_at(point, grouped_shops[:1])
    parcel = pickup.parcels.get()
    other = staff_of(town_hall(name="Café du Centre"), django_user_model, "cafe")
    for user in (other, baker):
        builders.admin_login(client, user)
        assert client.get(day_url(point)).status_code == 404
        assert (
            client.post(reverse("collection_staff_received", args=[parcel.pk])).status_code == 404
        )
        assert (
            client.post(reverse("collection_staff_handed_over", args=[pickup.pk])).status_code
            == 404
        )
    parcel.refresh_from_db()
    assert parcel.received_at is None


def test_the_day_list_reads_as_many_queries_for_10_collections_as_for_2(
    client, point, staff, grouped_shops
):
    builders.admin_login(client, staff)

    def queries_for(count):
        while point.pickups.count() < count:
            collection_at(point, grouped_shops, name=f"Résident {point.pickups.count()}")
        client.get(day_url(point))  # the session and the caches are warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get(day_url(point))
        assert response.status_code == 200
        assert response.content.decode().count('class="collection-card"') == count
        return len(queries)

    assert queries_for(2) == queries_for(10)


def test_the_shops_request_page_names_the_point_and_the_day(
    client, point, grouped_shops, django_user_model
):
    baker, *_others = grouped_shops
    merchant = django_user_model.objects.create_user(username="dupont", password="secret")
    merchant.user_permissions.add(Permission.objects.get(codename="access_admin"))
    ShopMembership.objects.create(user=merchant, shop=baker)
    pickup = collection_at(point, [baker])
    order = pickup.parcels.get().request
    builders.admin_login(client, merchant)

    response = client.get(reverse("orders_orderrequest_modeladmin_inspect", args=[order.pk]))

    assert response.status_code == 200
    assert pickup.reference in response.content.decode()
    assert "Accueil de l&#x27;hôtel de ville" in response.content.decode()


def test_staff_of_two_points_choose_one_from_their_entry(client, point, staff):
    other = town_hall(name="Café du Centre")
    PointStaff.objects.create(point=other, user=staff)
    builders.admin_login(client, staff)

    response = client.get(reverse("collection_staff_home"))

    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("collection_staff_day", args=[point.pk]) in page
    assert reverse("collection_staff_day", args=[other.pk]) in page


def test_the_city_adds_a_points_staff_in_the_points_admin(client, city_editor, django_user_model):
    person = django_user_model.objects.create_user(username="lea", password="secret")
    client.force_login(city_editor)

    response = client.post(ADD, form(staff=inline_formset([{"user": str(person.pk)}])))

    assert response.status_code == 302
    assert PointStaff.objects.get().user == person
    assert person.groups.filter(name=STAFF_GROUP).exists()
