"""Order requests for the demo town, so that the admin has something to show on day one.

A few dozen requests from fictional residents, in every status, most of them for the
shops of the demo merchants `boulanger` and `fleuriste`. Rows are written directly, not
through checkout.place(): a demo must not queue e-mails to invented addresses. Each
checkout has a fixed idempotency key (see demo_key), so a second run creates nothing.
"""

import random
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from wagtail.models import Site

from home.models import PortalSettings
from merchants.models import MerchantPage, ShopMembership
from orders.expiry import expires_at
from orders.models import Checkout, Fulfilment, OrderRequest, OrderRequestLine, Status, StatusChange
from products.models import Availability, Product

from .data import NEIGHBOURHOODS, TOWN

KEY_PREFIX = "demo-request-"
SEED = "valbourg:order-requests"
RESIDENT_DOMAIN = "example.org"

BAKER, FLORIST, OTHER = "boulanger", "fleuriste", "other"
NEW, ACCEPTED, READY, OUT = Status.NEW, Status.ACCEPTED, Status.READY, Status.OUT_FOR_DELIVERY
COMPLETED, DECLINED = Status.COMPLETED, Status.DECLINED
NOT_COLLECTED, CANCELLED, EXPIRED = Status.NOT_COLLECTED, Status.CANCELLED, Status.EXPIRED

# One entry per checkout: (shop, status) for each of its requests. BAKER and FLORIST are
# the demo merchants' shops; OTHER takes the next of the other shops in turn.
CHECKOUTS = (
    ((BAKER, NEW), (FLORIST, NEW)),
    ((BAKER, NEW),),
    ((BAKER, ACCEPTED),),
    ((BAKER, READY),),
    ((BAKER, COMPLETED), (FLORIST, COMPLETED)),
    ((BAKER, COMPLETED),),
    ((BAKER, COMPLETED),),
    ((BAKER, DECLINED),),
    ((BAKER, NOT_COLLECTED),),
    ((BAKER, CANCELLED),),
    ((BAKER, EXPIRED),),
    ((FLORIST, ACCEPTED),),
    ((FLORIST, OUT),),
    ((FLORIST, COMPLETED), (OTHER, COMPLETED)),
    ((FLORIST, COMPLETED),),
    ((FLORIST, DECLINED),),
    ((FLORIST, CANCELLED),),
    ((OTHER, NEW),),
    ((OTHER, NEW),),
    ((OTHER, NEW), (OTHER, NEW)),
    ((OTHER, ACCEPTED),),
    ((OTHER, ACCEPTED),),
    ((OTHER, READY),),
    ((OTHER, OUT),),
    ((OTHER, COMPLETED),),
    ((OTHER, COMPLETED),),
    ((OTHER, COMPLETED),),
    ((OTHER, COMPLETED),),
    ((OTHER, COMPLETED),),
    ((OTHER, COMPLETED),),
    ((OTHER, DECLINED),),
    ((OTHER, NOT_COLLECTED),),
    ((OTHER, CANCELLED),),
)

# How long ago a request in this status was sent, in hours: a new one is recent, a
# closed one may be two months old.
AGE_HOURS = {
    NEW: (1, 30),
    ACCEPTED: (3, 60),
    READY: (20, 90),
    OUT: (3, 30),
    COMPLETED: (72, 60 * 24),
    DECLINED: (48, 60 * 24),
    NOT_COLLECTED: (12 * 24, 60 * 24),
    CANCELLED: (24, 50 * 24),
    EXPIRED: (5 * 24, 40 * 24),
}

# The steps that lead to each status, after "new".
PATHS = {
    Fulfilment.PICKUP: {
        NEW: (),
        ACCEPTED: (ACCEPTED,),
        READY: (ACCEPTED, READY),
        COMPLETED: (ACCEPTED, READY, COMPLETED),
        DECLINED: (DECLINED,),
        NOT_COLLECTED: (ACCEPTED, READY, NOT_COLLECTED),
        CANCELLED: (CANCELLED,),
        EXPIRED: (EXPIRED,),
    },
    Fulfilment.DELIVERY: {
        NEW: (),
        ACCEPTED: (ACCEPTED,),
        OUT: (ACCEPTED, OUT),
        COMPLETED: (ACCEPTED, OUT, COMPLETED),
        DECLINED: (DECLINED,),
        CANCELLED: (CANCELLED,),
        EXPIRED: (EXPIRED,),
    },
}

# Hours between the previous step and this one.
STEP_HOURS = {
    ACCEPTED: (0.3, 3),
    READY: (2, 20),
    OUT: (1, 20),
    COMPLETED: (1, 30),
    DECLINED: (0.5, 6),
    NOT_COLLECTED: (72, 120),
    CANCELLED: (0.2, 5),
}

ACCEPT_NOTES = (
    "",
    "",
    "Ce sera prêt à partir de 10 h.",
    "Tout est disponible, à tout à l'heure !",
    "Prêt demain matin.",
)
DECLINE_NOTES = (
    "Désolés, nous n'avons plus ce produit en stock cette semaine.",
    "Nous ne pouvons pas livrer à cette date, pourriez-vous repasser commande pour lundi ?",
    "Fermeture exceptionnelle ce jour-là, toutes nos excuses.",
)
NOT_COLLECTED_NOTE = "Pas retirée malgré notre appel ; la commande a été remise en rayon."
MESSAGES = (
    "",
    "",
    "",
    "Je passerai en fin de journée, vers 17 h 30.",
    "C'est pour un anniversaire, un joli emballage serait parfait.",
    "Merci de sonner deux fois, la sonnette du haut ne fonctionne pas.",
    "Est-il possible de payer par carte au retrait ?",
    "Je peux venir plus tôt si c'est prêt, appelez-moi.",
)
RESIDENTS = (
    "Marie Dubois",
    "Julien Lefèvre",
    "Chloé Martin",
    "Antoine Dupont",
    "Léa Lambert",
    "Mathieu Peeters",
    "Camille Renard",
    "Hugo Lemaire",
    "Manon Jacobs",
    "Thomas Leclercq",
    "Sarah Dumont",
    "Nicolas Mertens",
    "Émilie Laurent",
    "Maxime Simon",
    "Laura Janssens",
    "Quentin Hubert",
    "Pauline Fontaine",
    "Romain Collard",
    "Élise Bertrand",
    "Louis Denis",
)


@dataclass
class Shops:
    baker: MerchantPage | None
    florist: MerchantPage | None
    others: list
    available: object  # the products a resident may request
    members: dict


def demo_key(prefix, name):
    """The idempotency key of the demo checkout `name`: the same at every run on a site,
    recognised by its prefix, and unguessable without the site's SECRET_KEY."""
    # The salt keeps the module's former name: another one would change every key, and a
    # run on an existing demo database would create its requests a second time.
    return prefix + salted_hmac("orders.demo.key", name, algorithm="sha256").hexdigest()[:32]


def demo_keys():
    return [demo_key(KEY_PREFIX, f"{number:02d}") for number in range(1, len(CHECKOUTS) + 1)]


def email_for(name):
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return f"{plain.lower().replace(' ', '.')}@{RESIDENT_DOMAIN}"


def seed_demo_requests(now=None):
    """Create the demo's order requests that do not exist yet; returns how many."""
    now = now or timezone.now()
    existing = set(
        Checkout.objects.filter(idempotency_key__in=demo_keys()).values_list(
            "idempotency_key", flat=True
        )
    )
    if existing == set(demo_keys()):
        return 0
    shops = find_shops()
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    portal = PortalSettings.for_site(site)
    created = 0
    with transaction.atomic():
        for number, (key, plan) in enumerate(zip(demo_keys(), CHECKOUTS, strict=True)):
            if key in existing:
                continue
            # One generator per checkout: a checkout reads the same whatever was missing.
            rng = random.Random(f"{SEED}:{key}")
            other_turn = sum(role == OTHER for entry in CHECKOUTS[:number] for role, _s in entry)
            created += create_checkout(key, plan, number, other_turn, shops, portal, rng, now)
    return created


def find_shops():
    """The demo merchants' shops first, then the other live shops that have products."""
    User = get_user_model()
    available = Product.objects.visible().exclude(availability=Availability.OUT_OF_STOCK)
    shops = list(
        MerchantPage.objects.live()
        .public()
        .filter(pk__in=available.values("shop_id"))
        .order_by("pk")
    )
    if not shops:
        raise LookupError("No live shop has products to request: run seed_demo first.")
    by_pk = {shop.pk: shop for shop in shops}

    def shop_of(username):
        user = User.objects.filter(username=username).first()
        if user is None:
            return None
        membership = (
            ShopMembership.objects.filter(user=user, shop_id__in=by_pk).order_by("pk").first()
        )
        return by_pk[membership.shop_id] if membership else None

    baker, florist = shop_of(BAKER), shop_of(FLORIST)
    others = [shop for shop in shops if shop not in (baker, florist)]
    members = {}
    for membership in ShopMembership.objects.filter(shop_id__in=by_pk).order_by("pk"):
        members.setdefault(membership.shop_id, membership.user)
    return Shops(baker, florist, others, available, members)


def pick_shop(role, shops, turn):
    """The shop for a role, standing in for a demo merchant whose shop is missing."""
    chosen = {BAKER: shops.baker, FLORIST: shops.florist}.get(role)
    if chosen is not None:
        return chosen
    pool = shops.others or [shop for shop in (shops.baker, shops.florist) if shop]
    return pool[turn % len(pool)]


def create_checkout(key, plan, number, other_turn, shops, portal, rng, now):
    name = RESIDENTS[number % len(RESIDENTS)]
    email = email_for(name)
    pairs = " ".join(str(rng.randint(10, 99)) for _pair in range(3))
    phone = f"04{rng.randint(70, 99)} {pairs}"
    low, high = AGE_HOURS[plan[0][1]]
    sent_at = daytime(now - timedelta(hours=rng.uniform(low, high)), rng)
    if sent_at > now - timedelta(minutes=30):
        sent_at -= timedelta(days=1)
    checkout = Checkout.objects.create(idempotency_key=key, email=email, language="fr")
    Checkout.objects.filter(pk=checkout.pk).update(created_at=sent_at)
    used = set()
    for role, status in plan:
        shop = pick_shop(role, shops, other_turn)
        if role == OTHER:
            other_turn += 1
        if shop.pk in used:  # one request per shop and checkout
            continue
        used.add(shop.pk)
        contact = {"name": name, "email": email, "phone": phone}
        create_request(checkout, shop, status, contact, shops, portal, rng, sent_at, now)
    return len(used)


def create_request(checkout, shop, status, contact, shops, portal, rng, sent_at, now):
    delivers = shop.offers_delivery and bool(shop.delivery_postcode_list)
    if status == OUT and not delivers:
        status = READY
    if status in (READY, NOT_COLLECTED) or not delivers:
        fulfilment = Fulfilment.PICKUP
    elif status == OUT:
        fulfilment = Fulfilment.DELIVERY
    else:
        fulfilment = Fulfilment.DELIVERY if rng.random() < 0.4 else Fulfilment.PICKUP
    address = {}
    if fulfilment == Fulfilment.DELIVERY:
        postcode = rng.choice(shop.delivery_postcode_list)
        quarters = [q for q in NEIGHBOURHOODS if q.postcode == postcode] or list(NEIGHBOURHOODS)
        street = rng.choice(rng.choice(quarters).streets)
        address = {
            "street_address": f"{street} {rng.randint(1, 140)}",
            "postcode": postcode,
            "town": TOWN,
        }
    products = list(shops.available.filter(shop=shop).order_by("pk"))
    chosen = rng.sample(products, k=min(len(products), rng.randint(1, 3)))
    lines = [(product, rng.choice((1, 1, 2, 2, 3, 4))) for product in chosen]
    request = OrderRequest.objects.create(
        checkout=checkout,
        shop=shop,
        status=status,
        fulfilment=fulfilment,
        preferred_date=preferred_date(shop, fulfilment, sent_at, rng),
        message=rng.choice(MESSAGES),
        items_total=sum(product.price * quantity for product, quantity in lines),
        delivery_fee=(
            shop.effective_delivery_fee(portal) if fulfilment == Fulfilment.DELIVERY else 0
        ),
        commission_rate=portal.commission_rate,
        **contact,
        **address,
    )
    OrderRequestLine.objects.bulk_create(
        OrderRequestLine.of(request, product, quantity) for product, quantity in lines
    )
    last_at = record_history(
        request, status, fulfilment, shops.members.get(shop.pk), rng, sent_at, now
    )
    # created_at and updated_at are set by Django on save: the past is written afterwards.
    OrderRequest.objects.filter(pk=request.pk).update(created_at=sent_at, updated_at=last_at)
    return request


def daytime(moment, rng):
    """`moment`, or the next morning when it falls in the night: shops answer by day."""
    local = timezone.localtime(moment)
    if 7 <= local.hour < 21:
        return moment
    morning = local.replace(hour=rng.randint(7, 9), minute=rng.randint(0, 59))
    return morning + timedelta(days=1) if local.hour >= 21 else morning


def preferred_date(shop, fulfilment, sent_at, rng):
    if fulfilment != Fulfilment.PICKUP or rng.random() < 0.6:
        return None
    day = timezone.localtime(sent_at).date()
    for offset in range(1, 8):
        candidate = day + timedelta(days=offset)
        if shop.is_open_on(candidate):
            return candidate
    return None


def record_history(request, status, fulfilment, merchant, rng, sent_at, now):
    """The status changes that lead to `status`, each a little after the one before."""
    steps = [(Status.NEW, None, "")]
    for step in PATHS[fulfilment][status]:
        if step == ACCEPTED:
            note = rng.choice(ACCEPT_NOTES)
        elif step == DECLINED:
            note = rng.choice(DECLINE_NOTES)
        elif step == NOT_COLLECTED:
            note = NOT_COLLECTED_NOTE
        else:
            note = ""
        # The resident cancels and the portal expires; every other step is the shop's.
        steps.append((step, None if step in (CANCELLED, EXPIRED) else merchant, note))
    at = sent_at
    latest = now - timedelta(minutes=5)
    for index, (step, by, note) in enumerate(steps):
        if step == EXPIRED:
            # When the hourly expire_requests found it due.
            at = min(expires_at(request.shop, sent_at) + timedelta(minutes=5), latest)
        elif index:
            low, high = STEP_HOURS[step]
            at = min(daytime(at + timedelta(hours=rng.uniform(low, high)), rng), latest)
            at = max(at, sent_at)
        change = StatusChange.objects.create(request=request, status=step, by=by, note=note)
        StatusChange.objects.filter(pk=change.pk).update(at=at)
    return at
