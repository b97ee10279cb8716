"""Wagtail's `{% picture %}` tag, with its filters made once per template and its HTML made
once per set of renditions.

Wagtail's node makes its Filter objects again at every render, and each new one parses its
spec again to build the rendition's cache key: a card's four renditions (two formats, two
sizes) cost about 0.5 ms of parsing, paid again for every card of a list. The specs are
fixed when the template is compiled, so the filters are made then, once.

Then it writes the `<picture>` element (a `<source>` per format with its widths, and the
`<img>`) from the renditions found: about 0.15 ms a card, for the same text each time the
card is shown. A rendition's file, width and height never change once it is made (a new
focal point or a new file makes other renditions), so the text is kept per process, keyed
by the renditions (their files and sizes), the image's default alternative text and the
tag's attributes. Media URLs are public and unsigned (portal.settings.env), so they do not
expire either.
Load it after wagtailimages_tags: `{% load wagtailimages_tags portal_images %}`.
"""

from django import template
from wagtail.images.models import Picture
from wagtail.images.shortcuts import get_renditions_or_not_found
from wagtail.images.templatetags import wagtailimages_tags

register = template.Library()

KEPT_PICTURES = 4096
_pictures = {}


def picture_html(image, renditions, attrs):
    """Picture(renditions, attrs)'s HTML, kept for the next card showing the same renditions."""
    try:
        key = (
            tuple((r.file.name, r.width, r.height) for r in renditions.values()),
            image.default_alt_text,
            tuple(sorted(attrs.items())),
        )
        html = _pictures.get(key)
    except TypeError:  # an attribute's value that cannot be a key (a list…)
        return Picture(renditions, attrs).__html__()
    if html is None:
        html = Picture(renditions, attrs).__html__()
        if all(r.width for r in renditions.values()):  # not the "not found" stand-in
            if len(_pictures) >= KEPT_PICTURES:
                _pictures.clear()
            _pictures[key] = html
    return html


class PictureNode(wagtailimages_tags.PictureNode):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters = super().get_filters()

    def get_filters(self):
        return self.filters

    def render(self, context):
        if self.output_var_name:
            return super().render(context)
        image = self.validate_image(context)
        if not image:
            return ""
        renditions = get_renditions_or_not_found(image, self.filters)
        attrs = {key: value.resolve(context) for key, value in self.attrs.items()}
        return picture_html(image, renditions, attrs)


@register.tag
def picture(parser, token):
    node = wagtailimages_tags.image(parser, token)  # Wagtail's parsing and its errors
    return PictureNode(
        node.image_expr, node.filter_specs, output_var_name=node.output_var_name, attrs=node.attrs
    )
