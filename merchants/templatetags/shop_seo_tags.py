from django import template

from home.models import PortalSettings
from home.structured_data import json_ld_script
from merchants.structured_data import local_business, prefetch_details, shop_social_meta

register = template.Library()


@register.simple_tag(takes_context=True)
def shop_meta(context, shop):
    """The shop page's description, canonical link and Open Graph card."""
    request = context["request"]
    prefetch_details(shop, with_photos=True)
    return shop_social_meta(shop, request, PortalSettings.for_request(request))


@register.simple_tag(takes_context=True)
def shop_json_ld(context, shop):
    prefetch_details(shop, with_photos=True)
    return json_ld_script(local_business(shop, context["request"]))
