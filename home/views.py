from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .structured_data import absolute_url

# Search engines index shops, products and content pages; not the admin, a resident's
# request list, or endless combinations of search parameters.
PRIVATE_PATHS = ["/admin/", "/ma-demande/", "/search/"]


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in PRIVATE_PATHS)]
    lines.append(f"Sitemap: {absolute_url(request, reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(public=True, max_age=365 * 24 * 3600, immutable=True)
def brand_stylesheet(request, colour):
    """The city's brand colour (PortalSettings.brand_colour) as a stylesheet, for the strict
    Content-Security-Policy of the public site, which refuses inline <style>. The colour is
    in the address (/brand/1d4e89.css): a new colour is a new address, so a browser or a
    proxy keeps each one for good and no page's header has to change."""
    return HttpResponse(f":root {{ --brand: #{colour}; }}\n", content_type="text/css")


def csrf_failure(request, reason=""):
    """A form sent without its security token: in the portal, mostly one sent from a page
    served from the cache by a browser without JavaScript (home/page_cache.py), or after
    the csrftoken cookie was refused or had expired.

    The public forms named in PORTAL_CSRF_CONFIRMABLE_URLS ("Ajouter", the language
    switch) are shown again, with what was sent and a fresh token, for the visitor to
    confirm with one click: that keeps them working without JavaScript, and the visitor,
    not another site, decides. Any other form only gets the explanation."""
    confirmable = {reverse(name) for name in settings.PORTAL_CSRF_CONFIRMABLE_URLS}
    fields = []
    if request.method == "POST" and request.path in confirmable:
        fields = [
            (name, value)
            for name, values in request.POST.lists()
            if name != "csrfmiddlewaretoken"
            for value in values
        ][:20]
    return render(
        request, "403_csrf.html", {"resend_to": request.path, "fields": fields}, status=403
    )
