"""The order admin's addresses, named in one place.

The order admin (wagtail-modeladmin) names its URLs as modeladmin does,
`orders_orderrequest_modeladmin_<action>`; it registers them under these names and every
other module, template or e-mail reaches them through here, never by a literal name.
"""

from wagtail_modeladmin.helpers import AdminURLHelper

from .models import OrderRequest

url_helper = AdminURLHelper(OrderRequest)


def order_admin_url_name(action):
    """The URL name of the order admin's `action`: "index", "inspect", "accept"…"""
    return url_helper.get_action_url_name(action)


def order_admin_url(action, pk=None):
    """The path of the order admin's `action`, of the order `pk` when the action has one."""
    return url_helper.get_action_url(action, *([] if pk is None else [pk]))
