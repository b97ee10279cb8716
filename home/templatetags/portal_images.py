"""Wagtail's `{% picture %}` tag, with its filters made once per template.

Wagtail's node makes its Filter objects again at every render, and each new one parses its
spec again to build the rendition's cache key: a card's four renditions (two formats, two
sizes) cost about 0.5 ms of parsing, paid again for every card of a list. The specs are
fixed when the template is compiled, so the filters are made then, once.
Load it after wagtailimages_tags: `{% load wagtailimages_tags portal_images %}`.
"""

from django import template
from wagtail.images.templatetags import wagtailimages_tags

register = template.Library()


@register.tag
def picture(parser, token):
    node = wagtailimages_tags.image(parser, token)
    filters = node.get_filters()
    node.get_filters = lambda: filters
    return node
