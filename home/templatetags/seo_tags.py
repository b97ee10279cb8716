from django import template

from home.models import PortalSettings
from home.structured_data import (
    breadcrumb_ancestors,
    breadcrumb_list,
    canonical_url,
    json_ld_script,
    page_social_meta,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def page_meta(context):
    """The description, canonical link and Open Graph card of the current page."""
    request = context.get("request")
    if request is None:  # a template rendered outside a request, such as an e-mail
        return None
    return page_social_meta(context.get("page"), request, PortalSettings.for_request(request))


@register.simple_tag(takes_context=True)
def page_canonical_url(context):
    request = context.get("request")
    return canonical_url(request, context.get("page")) if request is not None else ""


@register.simple_tag(takes_context=True)
def page_ancestors(context):
    """The breadcrumbs' pages above the current one (below the site root)."""
    page, request = context.get("page"), context.get("request")
    if page is None:
        return []
    if request is None:
        return list(page.get_ancestors()[1:])
    return breadcrumb_ancestors(request, page)


@register.simple_tag(takes_context=True)
def breadcrumb_json_ld(context, current=None):
    """The page's BreadcrumbList; `current` names the last crumb of a sub-page (a product)."""
    page, request = context.get("page"), context.get("request")
    if page is None or request is None:
        return ""
    return json_ld_script(breadcrumb_list(request, page, current))
