import re
from datetime import timedelta

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.timesince import timesince

from home import page_cache
from home.models import DEFAULT_BRAND_COLOUR
from home.money import format_money
from home.pages import fragment_until_purge

register = template.Library()


@register.filter
def money(amount):
    return format_money(amount)


@register.filter
def timesince_kept(moment):
    """Django's `timesince`, for a page or part of a page kept: the text changes with each
    whole minute since `moment`, and page_cache.expires_at is told when the next one ends."""
    now = timezone.now()
    minutes = max((now - moment) // timedelta(minutes=1), 0)
    page_cache.expires_at(moment + timedelta(minutes=minutes + 1))
    return timesince(moment, now)


@register.simple_tag
def brand_stylesheet_url(colour):
    """The address of the stylesheet of the brand colour `colour` (#rrggbb), or of the
    default colour when it is not one."""
    colour = (colour or "").lower()
    if not re.fullmatch(r"#[0-9a-f]{6}", colour):
        colour = DEFAULT_BRAND_COLOUR
    return reverse("brand_stylesheet", args=[colour[1:]])


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
def query_page(context, param, number):
    """The current query string on page `number` of the list paginated by `param`."""
    return query_replace(context, **{param: number})


@register.simple_tag(takes_context=True)
def query_without(context, name):
    """The current query string without parameter `name` (and back to the first pages)."""
    query = context["request"].GET.copy()
    query.pop(name, None)
    for key in [key for key in query if key == "page" or key.endswith("_page")]:
        query.pop(key)
    encoded = urlencode(sorted(query.lists()), doseq=True)
    return f"?{encoded}" if encoded else "?"


class SharedFragmentNode(template.Node):
    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        if not context.get("shared_page"):  # a visitor's own page: its CSRF tokens, fresh
            return self.nodelist.render(context)
        return fragment_until_purge(
            self.name, context["request"], lambda: self.nodelist.render(context)
        )


@register.tag
def shared_fragment(parser, token):
    """{% shared_fragment "name" %}…{% endshared_fragment %}: the enclosed part of a shared
    page, kept per address and language until the next purge or until what it shows changes
    (home.pages.fragment_until_purge)."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one quoted name")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(bits[1][1:-1], nodelist)
