"""The digest's own sections: new products and products back in stock at the shops
followed (registered in wagtail_hooks.py; see digest.py)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from products.models import Availability, Product

from .digest import ITEMS_PER_SECTION, Item, Section
from .links import absolute


def _products(follows, *conditions, **filters):
    return (
        Product.objects.visible()
        .filter(follows.shops_filter(), *conditions, **filters)
        .select_related("shop")
        .distinct()
        .order_by("shop__title", "name")[:ITEMS_PER_SECTION]
    )


def _items(products):
    return [
        Item(product.name, absolute(product.get_url()), product.shop.title) for product in products
    ]


def new_products(follows, since, until):
    products = _products(follows, created_at__gt=since, created_at__lte=until)
    return Section(_("New in the shops you follow"), _items(products))


def back_in_stock(follows, since, until):
    products = _products(
        follows,
        ~Q(availability=Availability.OUT_OF_STOCK),
        restocked_at__gt=since,
        restocked_at__lte=until,
        created_at__lte=since,  # a new product is said new, not back
    )
    return Section(_("Back in stock"), _items(products))
