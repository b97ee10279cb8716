"""What the demo town is made of, decided before touching the database.

Randomness is seeded per shop and per product, so a shop gets the same data whichever
size created it, and the small demo is a subset of the normal one, itself a subset of
the large one.
"""

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal

from django.utils.text import slugify

from products.models import Availability

from . import content, images
from .data import (
    KINDS,
    NEIGHBOURHOODS,
    PHONE_PREFIX,
    QUALIFIERS,
    TOWN,
    VARIANTS,
    Quarter,
    ShopKind,
)

SEED = "valbourg"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Size:
    shops: int
    products_per_shop: Callable[[int], int]


def _handwritten():
    """The hand-named shops, one of each kind in turn, so any prefix mixes the kinds."""
    rounds = max(len(kind.shops) for kind in KINDS)
    return [
        (kind, kind.shops[turn])
        for turn in range(rounds)
        for kind in KINDS
        if turn < len(kind.shops)
    ]


HANDWRITTEN = _handwritten()

SIZES = {
    # For tests: one shop of each of the first six kinds (bakery, florist, butcher, cheese
    # shop, bookshop, night shop), five products each.
    "small": Size(6, lambda number: 5),
    "normal": Size(len(HANDWRITTEN), lambda number: 9 + number % 4),
    "large": Size(500, lambda number: 40),
}


@dataclass(frozen=True)
class ShopPlan:
    number: int
    name: str
    slug: str
    kind: ShopKind
    quarter: Quarter
    rank: int  # how many shops of the same kind come before this one

    @property
    def order_email(self):
        return f"commandes@{self.slug}.example"


def plan_shops(count):
    plans, ranks = [], Counter()
    for number in range(1, count + 1):
        if number <= len(HANDWRITTEN):
            kind, name = HANDWRITTEN[number - 1]
        else:
            kind = KINDS[(number - 1) % len(KINDS)]
            rng = random.Random(f"{SEED}:name:{number}")
            name = f"{rng.choice(kind.prefixes)} {rng.choice(QUALIFIERS)} {number}"
        plans.append(
            ShopPlan(
                number=number,
                name=name,
                slug=slugify(name),
                kind=kind,
                quarter=NEIGHBOURHOODS[(number - 1) % len(NEIGHBOURHOODS)],
                rank=ranks[kind.slug],
            )
        )
        ranks[kind.slug] += 1
    return plans


def _round_to(value, step):
    return ((value / step).quantize(Decimal("1"), ROUND_HALF_UP) * step).quantize(CENT)


def company_number(rng):
    """A Belgian enterprise number: eight digits and their modulo-97 check."""
    first = rng.randint(2_000_000, 9_999_999)
    digits = f"{first:08d}{97 - first % 97:02d}"
    return f"BE {digits[:4]}.{digits[4:7]}.{digits[7:]}"


def initials(name):
    small = {"de", "du", "la", "le", "les", "des", "et", "au", "aux", "d'", "l'"}
    words = [
        w for w in name.replace("'", "' ").split() if w.lower() not in small and w[0].isalpha()
    ]
    return "".join(word[0].upper() for word in words[:2]) or name[:1].upper()


def phone_number(rng):
    return f"{PHONE_PREFIX} {rng.randint(30, 89)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


# Image pool ---------------------------------------------------------------------------


def product_image_title(kind):
    return f"Démo – {kind.label} (illustration)"


def front_image_title(kind):
    return f"Démo – {kind.label} (devanture)"


def logo_title(plan):
    return f"Démo – logo {plan.name}"


HERO_TITLE = f"Démo – {TOWN} (accueil)"
BANNER_TITLE = "Démo – Noël dans nos commerces (bannière)"
TOWN_LOGO_TITLE = f"Démo – logo {TOWN}"
BRAND_COLOUR = "#1d4e89"


def has_logo(plan):
    return plan.number <= len(HANDWRITTEN) and plan.number % 8 == 1


def image_pool_specs(plans):
    """{title: (draw, alt text, file name)} for the pictures the planned shops need."""
    kinds = list(dict.fromkeys(plan.kind for plan in plans))
    specs = {}
    for kind in kinds:
        specs[product_image_title(kind)] = (
            lambda kind=kind: images.product_picture(kind.colour, kind.shape, kind.label),
            f"Illustration : {kind.name.lower()}",
            f"demo-{kind.slug}-produits.png",
        )
        specs[front_image_title(kind)] = (
            lambda kind=kind: images.shop_front(kind.colour, kind.label),
            f"Devanture de commerce avec l'enseigne « {kind.label} »",
            f"demo-{kind.slug}-devanture.png",
        )
    for plan in plans:
        if has_logo(plan):
            specs[logo_title(plan)] = (
                lambda plan=plan: images.logo(plan.kind.colour, initials(plan.name)),
                f"Logo de {plan.name}",
                f"demo-logo-{plan.slug}.png",
            )
    specs[HERO_TITLE] = (
        lambda: images.hero(BRAND_COLOUR, TOWN),
        f"Les toits de {TOWN} et son beffroi",
        "demo-accueil.png",
    )
    specs[BANNER_TITLE] = (
        lambda: images.christmas_banner(content.CAMPAIGN_TITLE),
        "Sapins et étoiles sur fond vert : Noël dans nos commerces",
        "demo-noel.png",
    )
    specs[TOWN_LOGO_TITLE] = (
        lambda: images.logo(BRAND_COLOUR, TOWN[0]),
        f"Logo de la Ville de {TOWN}",
        "demo-logo-ville.png",
    )
    return specs


# Products -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductPlan:
    name: str
    slug: str
    sku: str
    price: Decimal
    former_price: Decimal | None
    unit: str
    category: str
    note: str
    availability: str
    is_active: bool
    is_featured: bool


def plan_products(plan, count):
    """The shop's first `count` products; the first ones are the same whatever the count."""
    items = list(plan.kind.items)
    random.Random(f"{SEED}:catalogue:{plan.slug}").shuffle(items)
    sku_prefix = slugify(plan.kind.label)[:3].upper()
    plans, slugs = [], set()
    for position in range(min(count, len(items) * len(VARIANTS))):
        rng = random.Random(f"{SEED}:product:{plan.slug}:{position}")
        item = items[position % len(items)]
        suffix, factor = VARIANTS[position // len(items)]
        name = f"{item.name} – {suffix}" if suffix else item.name
        slug = base = slugify(name)[:120]
        number = 2
        while slug in slugs:
            slug, number = f"{base}-{number}", number + 1
        slugs.add(slug)

        jitter = Decimal(rng.choice(("0.95", "1", "1", "1", "1.05", "1.10")))
        price = max(
            _round_to(Decimal(item.price) * Decimal(factor) * jitter, Decimal("0.05")), CENT * 10
        )
        former_price = None
        if position and rng.random() < 0.12:
            former_price = (
                (price * Decimal("1.25")).quantize(Decimal("0.1"), ROUND_UP).quantize(CENT)
            )
        draw = rng.random()
        # The first product of each shop is its showcase: visible, in stock, featured.
        if position == 0 or draw < 0.78:
            availability = Availability.IN_STOCK
        elif draw < 0.88:
            availability = Availability.LIMITED
        elif draw < 0.95:
            availability = Availability.ON_ORDER
        else:
            availability = Availability.OUT_OF_STOCK
        plans.append(
            ProductPlan(
                name=name,
                slug=slug,
                sku=f"{sku_prefix}-{position + 1:03d}",
                price=price,
                former_price=former_price,
                unit=item.unit,
                category=item.category,
                note=item.note,
                availability=availability,
                is_active=position == 0 or rng.random() >= 0.05,
                is_featured=position == 0 or rng.random() < 0.04,
            )
        )
    return plans
