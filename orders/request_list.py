"""The resident's request list: products and quantities from several shops, in the session."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from wagtail import hooks

from merchants.models import MerchantPage
from products.models import Availability, Product

from .models import Fulfilment

SESSION_KEY = "portal_request_list"
MAX_QUANTITY = 99


@dataclass
class Line:
    product_id: int
    quantity: int
    added_price: Decimal
    product: Product | None = None

    @property
    def price_changed(self):
        return self.product is not None and self.product.price != self.added_price

    @property
    def total(self):
        return self.product.price * self.quantity if self.product else Decimal("0")

    @property
    def problem(self):
        """Why this line cannot be sent, in words the resident understands; None if it can."""
        if self.product is None or not self.product.is_active:
            return _("This product is no longer offered.")
        if self.product.availability == Availability.OUT_OF_STOCK:
            return _("%(name)s is out of stock.") % {"name": self.product.name}
        return None


@dataclass
class ShopGroup:
    shop: object
    lines: list = field(default_factory=list)

    @property
    def subtotal(self):
        return sum((line.total for line in self.lines if not line.problem), Decimal("0"))

    @property
    def problems(self):
        found = [line.problem for line in self.lines if line.problem]
        if self.shop.requests_paused():
            found.insert(0, pause_message(self.shop))
        return found


@dataclass(frozen=True)
class Cost:
    """What one shop's request comes to: the goods, the delivery fee, and both together.

    `items` is also what the city's commission is taken on; the fee is the shop's, or the
    courier's (courier.checkout), never the city's."""

    items: Decimal
    fee: Decimal

    @property
    def total(self):
        return self.items + self.fee


def checkout_modes():
    """The ways other apps deliver a shop's request (the town's courier…), registered with
    the "checkout_modes" hook: each adds its choice and fields to the checkout's form
    (`add_fields(form, group, choices)` → names of its fields), checks them
    (`clean(form, shop, fulfilment)`), says its fee (`fee(shop, fulfilment, answers)`, None
    when not its own), describes it for the resident (`describe(shop, fulfilment, answers,
    cost)` → sentences) and stores what it needs in the checkout's transaction
    (`placed(order, answers)`, raising orders.checkout.NotPlaced when it is taken)."""
    return hooks.get_hooks("checkout_modes")


def cost_of(group, fulfilment, portal_settings, answers=None):
    """The cost of `group`'s lines fulfilled as `fulfilment`: the page that asks the resident
    to check the request and the request stored on sending both take their figures here.

    A delivery has the shop's fee, else the town's default (`portal_settings`); another
    app's mode its own (`answers` are the checkout's)."""
    fee = Decimal("0.00")
    if fulfilment == Fulfilment.DELIVERY:
        fee = group.shop.effective_delivery_fee(portal_settings)
    for mode in checkout_modes():
        fee = mode.fee(group.shop, fulfilment, answers or {}) or fee
    return Cost(items=group.subtotal, fee=fee)


def pause_message(shop):
    until = shop.requests_paused_until.strftime("%d/%m/%Y")
    if shop.pause_reason:
        return _("%(shop)s is not taking requests until %(date)s (%(reason)s).") % {
            "shop": shop.title,
            "date": until,
            "reason": shop.pause_reason,
        }
    return _("%(shop)s is not taking requests until %(date)s.") % {
        "shop": shop.title,
        "date": until,
    }


class RequestList:
    def __init__(self, session):
        self.session = session
        self.items = session.get(SESSION_KEY, {})

    def _save(self):
        self.session[SESSION_KEY] = self.items
        self.session.modified = True

    @property
    def count(self):
        """Number of articles, for the header's counter."""
        return sum(item["quantity"] for item in self.items.values())

    def quantity_of(self, product_id):
        return self.items.get(str(product_id), {}).get("quantity", 0)

    def add(self, product, quantity):
        """Add `quantity`; the total per product stays within 1–99. Returns the new quantity."""
        new_quantity = min(self.quantity_of(product.pk) + quantity, MAX_QUANTITY)
        self.items[str(product.pk)] = {"quantity": new_quantity, "price": str(product.price)}
        self._save()
        return new_quantity

    def set_quantity(self, product_id, quantity):
        key = str(product_id)
        if key not in self.items:
            return
        if quantity <= 0:
            del self.items[key]
        else:
            self.items[key]["quantity"] = min(quantity, MAX_QUANTITY)
        self._save()

    def clear(self):
        self.items = {}
        self.session.pop(SESSION_KEY, None)
        self.session.modified = True

    def groups(self):
        """Lines grouped by shop (two queries whatever the size), lines of vanished products
        kept with their problem so the resident sees what happened."""
        ids = [int(key) for key in self.items]
        products = (
            Product.objects.filter(pk__in=ids, shop__in=visible_shops())
            .select_related("shop")
            .prefetch_related("shop__opening_hours", "shop__closures")
            .in_bulk()
        )
        groups = {}
        orphans = []
        for key, item in self.items.items():
            product = products.get(int(key))
            line = Line(int(key), item["quantity"], Decimal(item["price"]), product)
            if product is None:
                orphans.append(line)
                continue
            groups.setdefault(product.shop_id, ShopGroup(product.shop)).lines.append(line)
        for group in groups.values():
            group.lines.sort(key=lambda line: line.product.name)
        ordered = sorted(groups.values(), key=lambda group: group.shop.title)
        return ordered, orphans


def visible_shops():
    return MerchantPage.objects.live().public()
