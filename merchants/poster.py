"""A window poster for each shop: its name, a QR code to its page, the portal's promise.

One A4 page of HTML with a print stylesheet: the merchant prints it from the browser, no
PDF library involved. A merchant prints its own shop's poster (another shop's is not
found); city editors print any.
"""

import segno
from django.conf import settings
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.safestring import mark_safe

from home.models import PortalSettings

from .models import MerchantPage
from .ownership import get_object_for_user


def qr_svg(url):
    """The QR code of `url` as inline SVG, sized by the poster's stylesheet.

    Always a full QR code: for short data segno.make picks a Micro QR code, which phone
    cameras do not read. Level M at least (segno raises it while the code keeps its size):
    it survives a smudge or the glare of a window."""
    return segno.make_qr(url, error="m").svg_inline(omitsize=True, svgclass=None, lineclass=None)


def short_url(url):
    """The address as a person types it: no scheme, no trailing slash."""
    return url.split("://", 1)[-1].rstrip("/")


def poster_url(shop):
    return reverse("merchants_shop_poster", args=[shop.pk])


def poster_view(request, shop_id):
    shop = get_object_for_user(MerchantPage.objects.all(), request.user, pk=shop_id)
    url = shop.full_url
    if not url:  # a shop outside every site has no address to print
        raise Http404
    return TemplateResponse(
        request,
        "merchants/admin/poster.html",
        {
            "shop": shop,
            "url": url,
            "short_url": short_url(url),
            "qr_svg": mark_safe(qr_svg(url)),  # drawn by segno: paths only, no text of ours
            "portal": PortalSettings.for_site(shop.get_site()),
            # Residents read it in the shop's window: the town's language, whatever the
            # merchant's admin is in.
            "poster_language": settings.LANGUAGE_CODE,
        },
    )


def admin_urls():
    return [path("shop/<int:shop_id>/poster/", poster_view, name="merchants_shop_poster")]
