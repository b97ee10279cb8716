from django import template
from django.utils.http import urlencode

from home.money import format_money

register = template.Library()


@register.filter
def money(amount):
    return format_money(amount)


@register.simple_tag(takes_context=True)
def query_replace(context, **changes):
    """The current query string with some parameters replaced (None removes one)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    encoded = urlencode(sorted(query.lists()), doseq=True)
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def query_without(context, name):
    """The current query string without parameter `name` (and back to the first page)."""
    query = context["request"].GET.copy()
    query.pop(name, None)
    query.pop("page", None)
    encoded = urlencode(sorted(query.lists()), doseq=True)
    return f"?{encoded}" if encoded else "?"
