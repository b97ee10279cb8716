from django import template

from orders.admin_urls import order_admin_url as _order_admin_url

register = template.Library()


@register.simple_tag
def order_admin_url(action, pk=None):
    """`{% order_admin_url "inspect" order.pk %}`: the order admin's address, by its action."""
    return _order_admin_url(action, pk)
