"""The demo town's collection point: the town hall's reception, open until 19:00 and on
Saturday, its staff's log-in, and a day of history (the last open day's collection,
handed over, and one of today's, half arrived).

Rows are written directly, as demo/orders.py does: a demo queues no e-mail to invented
residents. A second run creates nothing (the point is found by name, the history by its
checkouts' keys)."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from collection.models import CollectionPoint as Point
from collection.models import GroupedPickup, Parcel, PickupState, PointStaff
from merchants.models import AwayPayment, MerchantPage
from orders.models import Checkout, Fulfilment, OrderRequest, OrderRequestLine, Status, StatusChange
from products.models import Product

from .data import MAIL_DOMAIN, TOWN
from .orders import demo_key

NAME = "Accueil de l'hôtel de ville"
STAFF = "accueil"
# (weekday, opens, closes): late on weekdays, Saturday morning and afternoon.
HOURS = [*((day, time(8, 30), time(19)) for day in range(5)), (5, time(9), time(17))]
GROUPED_SHOPS = 4
RESIDENT = {"name": "Nadia Lefèvre", "email": "nadia.lefevre@example.org", "phone": "0471 23 45 67"}
# Unguessable, as the other demo checkouts' (a key is no way in to a checkout).
COLLECTION_PREFIX = "demo-collection-"
KEYS = {"past": "past", "today": "today"}


def ensure(shops, seeder):
    """The point, the shops that use it (`shops`: the seeder's (plan, shop) pairs), its
    staff member and its history; returns the staff's (username, role, whether the
    password is still the demo's)."""
    shops = [shop for _plan, shop in shops]
    today, password, created = seeder.today, seeder.password, seeder.created
    point = Point.objects.filter(name=NAME).first()
    if point is None:
        point = Point(
            name=NAME,
            street_address="Grand-Place 1",
            postcode="7000",
            town=TOWN,
            instructions="Guichet d'accueil, au rez-de-chaussée : donnez votre référence.",
            capacity_per_day=30,
        )
        for weekday, opens, closes in HOURS:
            point.opening_hours.create(weekday=weekday, opens=opens, closes=closes)
        point.save()
        created["collection points"] += 1
    grouped = _grouped_shops(shops)
    user = _staff(point, password, created)
    _history(point, grouped, today)
    return STAFF, f'staff of the collection point "{NAME}"', user.check_password(password)


def _grouped_shops(shops):
    """The demo merchants' shops and two others take grouped pick-ups; the last asks to be
    paid beforehand."""
    with_products = [s for s in shops if Product.objects.filter(shop=s, is_active=True).exists()]
    with_products.sort(key=lambda shop: not shop.memberships.exists())  # the demo merchants'
    chosen = with_products[:GROUPED_SHOPS]
    MerchantPage.objects.filter(pk__in=[s.pk for s in chosen]).update(grouped_pickup=True)
    if len(chosen) > 2:
        MerchantPage.objects.filter(pk=chosen[-1].pk).update(
            grouped_pickup_payment=AwayPayment.BEFOREHAND,
            prepayment_instructions="Virement sur BE71 0961 2345 6769, avec la référence.",
        )
    return chosen


def _staff(point, password, created):
    User = get_user_model()
    user = User.objects.filter(username=STAFF).first()
    if user is None:
        user = User.objects.create_user(
            username=STAFF,
            email=f"{STAFF}@{MAIL_DOMAIN}",
            password=password,
            first_name="Léa",
            last_name="Dumont",
        )
        created["users"] += 1
    PointStaff.objects.get_or_create(point=point, user=user)
    return user


def _last_open_day(point, today):
    day = today - timedelta(days=1)
    while not point.is_open_on(day):
        day -= timedelta(days=1)
    return day


def _history(point, shops, today):
    if len(shops) < 2:
        return
    now = timezone.now()
    past = _last_open_day(point, today)
    _collection(point, shops[:2], past, KEYS["past"], now, handed_over=True)
    _collection(point, shops[:2], today, KEYS["today"], now, handed_over=False)


def _at(day, hour, now):
    """`hour` o'clock on `day`, but never later than a few minutes ago."""
    return min(timezone.make_aware(datetime.combine(day, time(hour))), now - timedelta(minutes=5))


def _collection(point, shops, day, key, now, *, handed_over):
    key = demo_key(COLLECTION_PREFIX, key)
    if Checkout.objects.filter(idempotency_key=key).exists():
        return
    sent = _at(day - timedelta(days=1), 12, now)
    # (status, when) for each step of each shop's request, the first one's parcel arriving
    # first; on the day of a collection not handed over yet, only the first has arrived.
    arrivals = [_at(day, 10 + number, now) for number in range(len(shops))]
    handed = _at(day, 17, now)
    checkout = Checkout.objects.create(idempotency_key=key, email=RESIDENT["email"])
    Checkout.objects.filter(pk=checkout.pk).update(created_at=sent)
    pickup = GroupedPickup.objects.create(
        checkout=checkout,
        point=point,
        day=day,
        state=PickupState.HANDED_OVER if handed_over else PickupState.EXPECTED,
        ready_at=arrivals[-1] if handed_over else None,
        closed_at=handed if handed_over else None,
    )
    for number, shop in enumerate(shops):
        product = Product.objects.filter(shop=shop, is_active=True).order_by("pk").first()
        arrived = handed_over or number == 0
        steps = [(Status.NEW, sent), (Status.ACCEPTED, sent + timedelta(hours=1))]
        steps += [(Status.AT_POINT, arrivals[number])] if arrived else []
        steps += [(Status.COMPLETED, handed)] if handed_over else []
        order = OrderRequest.objects.create(
            checkout=checkout,
            shop=shop,
            fulfilment=Fulfilment.COLLECTION,
            preferred_date=day,
            status=steps[-1][0],
            items_total=product.price * 2,
            final_amount=product.price * 2 if handed_over else None,
            commission_rate=10,
            **RESIDENT,
        )
        OrderRequestLine.objects.create(
            request=order,
            product=product,
            product_name=product.name,
            unit_price=product.price,
            quantity=2,
        )
        for status, at in steps:
            change = StatusChange.objects.create(request=order, status=status)
            StatusChange.objects.filter(pk=change.pk).update(at=at)
        OrderRequest.objects.filter(pk=order.pk).update(created_at=sent, updated_at=steps[-1][1])
        Parcel.objects.create(
            pickup=pickup, request=order, received_at=arrivals[number] if arrived else None
        )
