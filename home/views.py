from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

# Search engines index shops, products and content pages; not the admin, a resident's
# request list, or endless combinations of search parameters.
PRIVATE_PATHS = ["/admin/", "/ma-demande/", "/search/"]


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in PRIVATE_PATHS)]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
