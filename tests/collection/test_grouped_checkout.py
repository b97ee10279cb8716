"""A resident collects several shops' products at one point, on one day: the checkout."""

from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from collection.checkout import offered_days
from collection.models import GroupedPickup, Parcel, PickupState
from orders.models import Checkout, Fulfilment, OrderRequest
from tests import builders
from tests.timetravel import travel

from .conftest import DETAILS, add, details, next_weekday, send, town_hall

pytestmark = pytest.mark.django_db

MON, SAT, SUN = 0, 5, 6


@pytest.mark.dated
def test_three_shops_to_one_point_make_three_requests_and_one_collection(
    basket, grouped_shops, point, django_capture_on_commit_callbacks
):
    day = next_weekday(SAT)
    response = basket.post(DETAILS, details(grouped_shops, point, day))
    assert response.status_code == 302, response.context["form"].errors

    response = send(basket, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    pickup = GroupedPickup.objects.get()
    assert (pickup.point, pickup.day, pickup.state) == (point, day, PickupState.EXPECTED)
    requests = OrderRequest.objects.order_by("shop__title")
    assert [r.shop.title for r in requests] == [s.title for s in sorted(grouped_shops, key=str)]
    assert {r.fulfilment for r in requests} == {Fulfilment.COLLECTION}
    assert {r.preferred_date for r in requests} == {day}
    assert sorted(p.request_id for p in Parcel.objects.all()) == sorted(r.pk for r in requests)
    # One confirmation to the resident, with the one collection reference and who is paid how.
    to_resident = [m for m in mail.outbox if m.to == ["marie@example.org"]]
    assert len(to_resident) == 1
    body = to_resident[0].body
    assert body.count(pickup.reference) == 1
    assert "Virement BE71 0961 2345 6769" in body
    assert "Accueil de l'hôtel de ville" in body
    # Each shop hears of its own request, marked for the point and the day.
    to_shops = [m for m in mail.outbox if m.to != ["marie@example.org"]]
    assert len(to_shops) == 3
    assert all(pickup.reference in m.body and "Accueil" in m.body for m in to_shops)
    page = basket.get(response["Location"])
    assert pickup.reference in page.content.decode()


def test_the_choice_is_offered_only_to_the_shops_that_allow_it(client, grouped_shops, point):
    baker, _florist, _cheese = grouped_shops
    other = builders.shop("Librairie Page")
    add(client, builders.product(baker, "Pain"))
    add(client, builders.product(other, "Roman"))

    form = client.get(DETAILS).context["form"]

    assert "collection" in dict(form.fields[f"shop_{baker.pk}_fulfilment"].choices)
    assert "collection" not in dict(form.fields[f"shop_{other.pk}_fulfilment"].choices)


def test_a_point_that_does_not_take_a_shop_is_not_offered_to_it(client, grouped_shops, point):
    baker, florist, _cheese = grouped_shops
    point.shops.add(baker)
    add(client, builders.product(florist, "Bouquet"))

    form = client.get(DETAILS).context["form"]

    assert "collection" not in dict(form.fields[f"shop_{florist.pk}_fulfilment"].choices)


def refused(client, data, field="collection_day"):
    response = client.post(DETAILS, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    return response


@pytest.mark.dated
def test_a_full_day_is_not_offered_and_refused_next_to_the_field_with_the_day_kept(
    basket, grouped_shops, point
):
    day = next_weekday(SAT)
    point.capacity_per_day = 1
    point.save()
    GroupedPickup.objects.create(
        checkout=Checkout.objects.create(idempotency_key="earlier", email="a@example.org"),
        point=point,
        day=day,
    )

    assert day not in offered_days(point, grouped_shops, timezone.localdate())
    response = refused(basket, details(grouped_shops, point, day))
    assert "est complet le" in str(response.context["form"].errors["collection_day"])
    assert f'value="{day.isoformat()}"' in response.content.decode()
    # A collection whose shops all dropped out frees its place.
    GroupedPickup.objects.update(state=PickupState.DROPPED)
    assert day in offered_days(point, grouped_shops, timezone.localdate())


@pytest.mark.dated
def test_closed_days_closures_and_a_pause_are_not_offered(basket, grouped_shops, point):
    today = timezone.localdate()
    sunday = next_weekday(SUN)
    monday = sunday + timedelta(days=1)
    tuesday = monday + timedelta(days=1)
    point.closures.create(starts_on=monday, ends_on=monday, reason="Inventaire")
    point.paused_until = today + timedelta(days=1)
    point.save()

    offered = offered_days(point, grouped_shops, today)

    assert sunday not in offered and monday not in offered and tuesday in offered
    assert today not in offered and today + timedelta(days=1) not in offered
    for day in (sunday, monday):
        response = refused(basket, details(grouped_shops, point, day))
        assert "est fermé le" in str(response.context["form"].errors["collection_day"])
    refused(basket, details(grouped_shops, point, today + timedelta(days=1)))
    assert basket.post(DETAILS, details(grouped_shops, point, tuesday)).status_code == 302


@pytest.mark.dated
def test_a_day_before_a_shop_can_be_ready_is_refused(basket, grouped_shops, point):
    baker, _florist, _cheese = grouped_shops
    type(baker).objects.filter(pk=baker.pk).update(preparation_time=timedelta(days=2))
    baker.refresh_from_db()
    today = timezone.localdate()
    ready = timezone.localdate(baker.ready_time())
    too_soon = [d for d in offered_days(point, grouped_shops[1:], today) if d < ready]

    offered = offered_days(point, grouped_shops, today)

    assert min(offered) >= ready
    assert too_soon and not set(too_soon) & set(offered)
    response = refused(basket, details(grouped_shops, point, too_soon[0]))
    assert "Boulangerie Dupont a besoin" in str(response.context["form"].errors)


def test_a_point_opening_only_in_the_hour_the_spring_night_skips_is_not_offered_that_day(
    grouped_shops,
):
    point = town_hall()
    point.opening_hours.create(weekday=SUN, opens=time(2), closes=time(2, 45))
    point.save()
    with travel("2027-03-25T10:00:00+00:00"):  # Thursday before the change
        offered = offered_days(point, grouped_shops, date(2027, 3, 25))

    assert date(2027, 3, 28) not in offered  # 02:00–02:45 does not exist that night
    assert date(2027, 4, 4) in offered


def test_choosing_a_grouped_pick_up_without_a_point_or_a_day_is_refused_next_to_them(
    basket, grouped_shops, point
):
    other = town_hall(name="Café du Centre")
    response = refused(basket, details(grouped_shops), field="collection_point")
    assert "collection_day" not in response.context["form"].errors

    refused(basket, details(grouped_shops, other))
