import hashlib
import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from home import page_cache
from home.forms import first_from_visitor
from home.pages import until_purge

from .filters import SearchFilter
from .models import SearchRecord
from .query import ParsedQuery, clean_query
from .results import SiteSearch, correction, promotions, suggestions

logger = logging.getLogger(__name__)


@require_GET
def search(request):
    parsed = ParsedQuery.parse(request.GET.get("q", ""))
    search_filter = SearchFilter(request.GET or None, request=request)
    # Searched only when the page reads the results: a shared page keeps what shows them
    # ({% shared_fragment %}, the facet counts in the form included) until the next purge.
    results = SimpleLazyObject(lambda: search_results(request, parsed, search_filter))
    if parsed:
        search_filter.show_counts(SimpleLazyObject(lambda: results["counts"]))
    context = {
        "search_query": parsed.text,
        "filter": search_filter,
        "page_title": _("Search"),
        "results": results,
    }
    query = parsed.key or parsed.text.lower()
    if parsed.text and is_new_search(request, search_filter) and is_first(request, query):
        # What residents typed, and what it found as typed (before any correction): the
        # city's statistics read the searches that found nothing.
        SearchRecord.record(query, found_as_typed(parsed, results) or 0)
    return TemplateResponse(request, "search/search.html", context)


def search_results(request, parsed, search_filter):
    """What the page shows of the search (the template's `results`), searched when first
    read. A query the engine still cannot read is a "no result", never a 500."""
    results = {
        # Only punctuation, say, finds nothing: the page says so like any other search.
        "found": 0,
        "typed_found": 0,
        "no_results": bool(parsed.text),
        "counts": {},
    }
    if not parsed:
        return results
    try:
        results.update(run_search(request, parsed, search_filter))
    except DatabaseError:
        logger.warning("Search failed for %r", parsed.text, exc_info=True)
        # Neither the page nor the number of results is kept: the next visit searches again.
        page_cache.expires_at(timezone.now())
        return {**results, "typed_found": None}
    if not search_filter.values:
        found_as_typed(parsed, results)  # for the next resident's record of this search
    return results


def found_as_typed(parsed, results):
    """The number of results of `parsed` as typed, without filters: kept until the next
    purge, so that a search recorded from a page whose results are kept runs no search.
    None if the search failed (nothing kept then)."""
    digest = hashlib.sha256(parsed.key.encode()).hexdigest()
    return until_purge(f"search-found:{digest}", lambda: results["typed_found"])


def is_new_search(request, search_filter):
    """A search typed in a box; not a page turned, a filter or a sort chosen after it."""
    paging = request.GET.get("page") or request.GET.get("shops_page")
    return not paging and not search_filter.values


def is_first(request, query):
    """The same search again from the same visitor within the window is not counted again,
    nor are an address's searches beyond its hourly cap: a loop fills no statistic."""
    return first_from_visitor(
        request,
        "search",
        (query,),
        window=settings.PORTAL_STATS_WINDOW,
        hourly_limit=settings.PORTAL_STATS_RATE_LIMIT,
    )


def run_search(request, parsed, search_filter):
    site_search = SiteSearch(parsed, search_filter)
    context = collect(request, site_search)
    context["typed_found"] = context["found"]
    if not context["found"]:
        corrected = correction(parsed)
        if corrected:
            site_search = SiteSearch(corrected, search_filter)
            context.update(collect(request, site_search), corrected_query=corrected.text)
    context["promotions"] = promotions(site_search.parsed)
    context["no_results"] = not context["found"]
    if context["no_results"]:
        context["nearest_shops"], context["nearest"] = site_search.nearest()
    return context


def collect(request, site_search):
    shops = products = None
    if site_search.filter.shows_shops:
        shops = site_search.shop_page(request.GET.get("shops_page"))
    if site_search.filter.shows_products:
        products = site_search.product_page(request.GET.get("page"))
    counts = site_search.facet_counts()
    pages = site_search.content_pages()
    found = sum(page.paginator.count for page in (shops, products) if page is not None)
    return {
        "shops": shops,
        "products": products,
        "pages": pages,
        "counts": counts,
        "found": found + len(pages),
    }


@require_GET
def suggest(request):
    """The header box's suggestions, as JSON: at most eight shops and products."""
    text = clean_query(request.GET.get("q", ""))
    try:
        results = suggestions(text, request)
    except DatabaseError:
        logger.warning("Suggestions failed for %r", text, exc_info=True)
        results = []
    response = JsonResponse({"query": text, "results": results})
    patch_cache_control(response, public=True, max_age=60)
    return response


def old_search_address(request):
    """The search used to live at /recherche/: shared links keep working."""
    query = request.META.get("QUERY_STRING", "")
    url = reverse("search")
    return redirect(f"{url}?{query}" if query else url, permanent=True)
