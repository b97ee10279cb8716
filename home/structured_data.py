"""What search engines and social networks read about any page: its canonical address,
description, Open Graph card and schema.org breadcrumbs.

Shops and products add their own (merchants/structured_data.py, products/structured_data.py);
this module only knows Wagtail pages in general, so `home` still imports no other app.
"""

import html
import json
from dataclasses import dataclass
from urllib.parse import urljoin

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext
from wagtail.models import Site

from .pages import routed_ancestors

SCHEMA_ORG = "https://schema.org"
# Facebook's recommended card size; a smaller original gives a smaller rendition (no upscaling).
SHARE_IMAGE_SPEC = "fill-1200x630"
DESCRIPTION_LENGTH = 155
OG_LOCALES = {"fr": "fr_FR", "en": "en_GB"}

# Fields that introduce a page, tried in order; the page types of every app use these names.
SUMMARY_FIELDS = ("intro", "hero_text")
IMAGE_FIELDS = ("hero_image", "banner")

# As Django's json_script: no "</script>" or "<!--" can end the block early.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@dataclass(frozen=True)
class ShareImage:
    url: str
    width: int
    height: int
    alt: str = ""


@dataclass(frozen=True)
class SocialMeta:
    """The head of a page as components/social_meta.html writes it. Without a title (a
    view that is not a page: search, checkout) only the description and canonical link."""

    description: str
    url: str
    site_name: str
    title: str = ""
    type: str = "website"
    image: ShareImage | None = None
    extra: tuple[tuple[str, str], ...] = ()  # more Open Graph properties, such as a price

    @property
    def locale(self):
        return OG_LOCALES.get((get_language() or "fr").split("-")[0], "fr_FR")


def plain_text(value, length=DESCRIPTION_LENGTH):
    """Rich text or plain text as one line of at most `length` characters."""
    text = " ".join(html.unescape(strip_tags(str(value or ""))).split())
    return Truncator(text).chars(length)


def stream_text(stream, length=DESCRIPTION_LENGTH):
    """The paragraphs of a body StreamField as plain text."""
    paragraphs = [block.value.source for block in stream or () if block.block_type == "paragraph"]
    return plain_text(" ".join(paragraphs), length)


def site_name(portal_settings):
    # The same words as the end of every <title> (templates/base.html).
    return gettext("Shops of %(town)s") % {"town": portal_settings.town_name}


def share_image(image, page_url, alt=""):
    """The Open Graph rendition of a Wagtail image, its URL made absolute on the same site
    as the page's (`page_url`)."""
    if image is None:
        return None
    rendition = image.get_rendition(SHARE_IMAGE_SPEC)
    return ShareImage(
        url=urljoin(page_url, rendition.url),
        width=rendition.width,
        height=rendition.height,
        alt=alt,
    )


def absolute_url(request, path):
    """`path` on the site's address (`https://commerces.example.be`), taken from its Site
    record (or WAGTAILADMIN_BASE_URL before there is one), never from the request's Host
    header: a page kept in a cache would hand a forged host to everyone after."""
    site = Site.find_for_request(request)
    root = site.root_url if site is not None else settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return root + path


def canonical_url(request, page=None):
    """The page's address on its site, without query string. A routable page's sub-page
    (a product under its shop) keeps its own route."""
    url = page.get_full_url(request) if page is not None else None
    if not url:
        return absolute_url(request, request.path)
    route = getattr(request, "routable_resolver_match", None)
    if route is not None and hasattr(page, "reverse_subpage"):
        url += page.reverse_subpage(route.url_name, args=route.args, kwargs=route.kwargs)
    return url


def page_description(page, portal_settings):
    """The editor's search description, or the page's introduction, or the site's name."""
    if page is not None:
        if page.search_description:
            return page.search_description
        for field in SUMMARY_FIELDS:
            text = plain_text(getattr(page, field, ""))
            if text:
                return text
        text = stream_text(getattr(page, "body", None))
        if text:
            return text
    return site_name(portal_settings)


def page_social_meta(page, request, portal_settings):
    """The head of any page (or of a view that is not a page, when `page` is None)."""
    url = canonical_url(request, page)
    meta = {
        "description": page_description(page, portal_settings),
        "url": url,
        "site_name": site_name(portal_settings),
    }
    if page is None:
        return SocialMeta(**meta)
    image = next(filter(None, (getattr(page, field, None) for field in IMAGE_FIELDS)), None)
    return SocialMeta(**meta, title=page.seo_title or page.title, image=share_image(image, url))


def breadcrumb_ancestors(request, page):
    """The pages between the site root and `page`, read once per request: the visible
    breadcrumbs and their JSON-LD both show them. A page served by routing already has them."""
    cache = request.__dict__.setdefault("_portal_breadcrumbs", {})
    if page.pk not in cache:
        ancestors = routed_ancestors(page)
        cache[page.pk] = ancestors if ancestors is not None else list(page.get_ancestors()[1:])
    return cache[page.pk]


def breadcrumb_list(request, page, current=None):
    """The breadcrumbs of components/breadcrumbs.html as a schema.org BreadcrumbList: the
    ancestors below the site root, the page, then `current` (a product's name) if given."""
    if page.depth <= 2:  # the home page shows no breadcrumbs
        return None
    crumbs = [
        (ancestor.title, ancestor.get_full_url(request))
        for ancestor in breadcrumb_ancestors(request, page)
    ]
    crumbs.append((page.title, page.get_full_url(request)))
    if current is not None:
        crumbs.append((current, canonical_url(request, page)))
    return {
        "@context": SCHEMA_ORG,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(crumbs, start=1)
        ],
    }


def json_ld_script(data):
    """One schema.org object as a <script type="application/ld+json"> element."""
    if not data:
        return ""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(JSON_SCRIPT_ESCAPES)),  # escaped just above
    )
