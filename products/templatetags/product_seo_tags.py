from django import template

from home.models import PortalSettings
from home.structured_data import json_ld_script
from products.structured_data import product_schema, product_social_meta

register = template.Library()


@register.simple_tag(takes_context=True)
def product_meta(context, product):
    """The product page's description, canonical link and Open Graph card."""
    request = context["request"]
    return product_social_meta(product, request, PortalSettings.for_request(request))


@register.simple_tag(takes_context=True)
def product_json_ld(context, product):
    return json_ld_script(product_schema(product, context["request"]))
