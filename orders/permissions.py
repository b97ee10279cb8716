"""Who may do what in the order admin: the ownership rule, not Django model permissions."""

from django.urls import reverse
from wagtail_modeladmin.helpers import PermissionHelper

from merchants.ownership import can_manage, manages_any_shop

from .admin_urls import order_admin_url_name
from .models import OrderRequest


class OrderRequestPermissionHelper(PermissionHelper):
    """Ownership instead of Django model permissions, which merchants do not hold."""

    def user_can_list(self, user):
        return manages_any_shop(user)

    def user_can_inspect_obj(self, user, obj):
        return can_manage(user, obj)

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class OrderRequestURLFinder:
    """Where the admin links a request to: its page, since there is no edit view."""

    permission_helper = OrderRequestPermissionHelper(OrderRequest)

    def __init__(self, user):
        self.user = user

    def get_edit_url(self, instance):
        if self.user is None or self.permission_helper.user_can_inspect_obj(self.user, instance):
            return reverse(order_admin_url_name("inspect"), args=[instance.pk])
        return None
