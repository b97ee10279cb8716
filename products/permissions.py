"""Who may do what with which product: model permissions, narrowed to the user's own shops.

Merchants hold the product permissions through the "Merchants" group (merchants/access.py);
this policy answers per object through the one ownership rule, so that every view, bulk
action and chooser that asks it gets the same answer. City editors manage every product.
"""

from wagtail.permission_policies import ModelPermissionPolicy

from merchants.ownership import can_manage, scope_to_user

from .models import Product


class ProductPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and can_manage(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and can_manage(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        return scope_to_user(self.model.objects.all(), user)

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])


def own_products(user):
    return scope_to_user(Product.objects.all(), user)
