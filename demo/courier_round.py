"""The demo town's courier: a cargo-bike co-operative delivering for the demo merchants'
bakery and florist in the evening, its member's log-in (`coursier`), yesterday's round done
(three parcels delivered, one failed) and today's round waiting for its pick-ups.

Its requests are written directly, as demo/orders.py writes its own: a demo queues no
e-mail to invented addresses. Fixed idempotency keys make a second run create nothing."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Site

from courier.models import Courier, CourierKind, DeliveryWindow, Stop, StopState
from home.models import PortalSettings
from merchants.hours import instant
from merchants.models import ShopMembership
from orders.models import Checkout, Fulfilment, OrderRequest, OrderRequestLine, Status, StatusChange

from .data import POSTCODES, TOWN
from .orders import demo_key

KEY_PREFIX = "demo-courier-"
NAME = "Vélocoop — cargos à vélo"
USERNAME = "coursier"
FEE = Decimal("4.50")
# Evenings from Monday to Saturday, and Saturday morning.
WINDOWS = [(day, time(17), time(19), 8) for day in range(6)] + [(5, time(10), time(12), 6)]
DONE, FAILED, PLANNED = StopState.DONE, StopState.FAILED, StopState.PLANNED
# (days from today, merchant, status, resident, street, postcode, stop, courier's reason)
ROUND = [
    (-1, "boulanger", Status.COMPLETED, "Élise Moreau", "Rue de Nimy 12", "7000", DONE, ""),
    (-1, "fleuriste", Status.COMPLETED, "Hugo Lambert", "Boulevard Dolez 40", "7000", DONE, ""),
    (-1, "boulanger", Status.COMPLETED, "Nadia Benali", "Avenue du Tir 7", "7011", DONE, ""),
    (
        -1,
        "fleuriste",
        Status.DELIVERY_FAILED,
        "Paul Deprez",
        "Rue d'Havré 88",
        "7000",
        FAILED,
        "Personne à la maison ; avis laissé dans la boîte aux lettres.",
    ),
    (0, "boulanger", Status.READY, "Claire Dumont", "Rue des Fripiers 3", "7000", PLANNED, ""),
    (0, "fleuriste", Status.ACCEPTED, "Marc Henry", "Chaussée de Binche 21", "7011", PLANNED, ""),
]
# The statuses a request went through to reach its own, after being sent.
STEPS = {
    Status.COMPLETED: [Status.ACCEPTED, Status.READY, Status.OUT_FOR_DELIVERY, Status.COMPLETED],
    Status.DELIVERY_FAILED: [
        Status.ACCEPTED,
        Status.READY,
        Status.OUT_FOR_DELIVERY,
        Status.DELIVERY_FAILED,
    ],
    Status.READY: [Status.ACCEPTED, Status.READY],
    Status.ACCEPTED: [Status.ACCEPTED],
}


def seed_courier(password, now=None):
    """The co-operative, its log-in and its two days of rounds; returns the log-in (a
    demo.seed.Login)."""
    from .seed import Login

    now = now or timezone.now()
    shops = {
        membership.user.username: membership.shop
        for membership in ShopMembership.objects.filter(
            user__username__in=("boulanger", "fleuriste")
        ).select_related("user", "shop")
    }
    courier = Courier.objects.filter(name=NAME).first() or create_courier()
    for shop in shops.values():
        if not shop.courier_delivery:
            shop.courier_delivery = True
            shop.save_revision().publish()
    courier.shops.add(*shops.values())
    User = get_user_model()
    user = User.objects.filter(username=USERNAME).first()
    created = user is None
    if created:
        user = User.objects.create_user(
            username=USERNAME,
            email=f"{USERNAME}@velocoop.example",
            password=password,
            first_name="Léa",
            last_name="Vandamme",
        )
    courier.members.add(user)
    for number, entry in enumerate(ROUND):
        key = demo_key(KEY_PREFIX, f"{number:02d}")
        if entry[1] in shops and not Checkout.objects.filter(idempotency_key=key).exists():
            create_delivery(courier, shops[entry[1]], key, entry, now)
    role = f'member of the courier "{courier.name}"'
    return Login(USERNAME, role, created or user.check_password(password))


def create_courier():
    courier = Courier.objects.create(
        name=NAME,
        kind=CourierKind.COOPERATIVE,
        phone="065 33 44 55",
        email="tournees@velocoop.example",
        fee=FEE,
        postcodes=", ".join(POSTCODES),
    )
    DeliveryWindow.objects.bulk_create(
        DeliveryWindow(courier=courier, weekday=day, starts=starts, ends=ends, capacity=capacity)
        for day, starts, ends, capacity in WINDOWS
    )
    return courier


def create_delivery(courier, shop, key, entry, now):
    offset, _merchant, status, name, street, postcode, state, reason = entry
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    day = timezone.localdate(now) + timedelta(days=offset)
    starts_at = instant(datetime.combine(day, time(17)))
    sent_at = starts_at - timedelta(hours=26)
    email = f"{name.split()[0].lower()}.demo@example.org"
    checkout = Checkout.objects.create(idempotency_key=key, email=email, language="fr")
    products = list(shop.products.filter(is_active=True).order_by("pk")[:2])
    request = OrderRequest.objects.create(
        checkout=checkout,
        shop=shop,
        status=status,
        fulfilment=Fulfilment.COURIER,
        name=name,
        email=email,
        phone="0470 55 12 34",
        street_address=street,
        postcode=postcode,
        town=TOWN,
        items_total=sum((product.price for product in products), Decimal("0.00")),
        delivery_fee=courier.fee,
        commission_rate=PortalSettings.for_site(site).commission_rate,
    )
    OrderRequestLine.objects.bulk_create(OrderRequestLine.of(request, p, 1) for p in products)
    if status == Status.COMPLETED:
        OrderRequest.objects.filter(pk=request.pk).update(final_amount=request.items_total)
    window = courier.windows.filter(weekday=day.weekday(), starts=time(17)).first()
    Stop.objects.create(
        request=request,
        courier=courier,
        window=window,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        notes="Sonnette « Moreau-Benali », 2e étage." if offset < 0 else "",
        state=state,
        failure_reason=reason,
        done_at=starts_at + timedelta(minutes=40) if state != PLANNED else None,
    )
    at = sent_at
    for index, step in enumerate([Status.NEW, *STEPS[status]]):
        if index:
            at = min(at + timedelta(hours=6), starts_at + timedelta(minutes=40), now)
        note = reason if step == Status.DELIVERY_FAILED else ""
        change = StatusChange.objects.create(request=request, status=step, note=note)
        StatusChange.objects.filter(pk=change.pk).update(at=at)
    OrderRequest.objects.filter(pk=request.pk).update(created_at=sent_at, updated_at=at)
