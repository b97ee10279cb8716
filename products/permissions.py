"""Who may do what with which product: model permissions, narrowed to the user's own shops.

Merchants hold the product permissions through the "Merchants" group (merchants/access.py);
this policy answers per object through the one ownership rule, so that every view, bulk
action and chooser that asks it gets the same answer. City editors manage every product.
"""

from merchants.admin_guards import ShopOwnedPermissionPolicy
from merchants.ownership import scope_to_user

from .models import Product


class ProductPermissionPolicy(ShopOwnedPermissionPolicy):
    pass


def own_products(user):
    return scope_to_user(Product.objects.all(), user)
