import logging

from django.core.paginator import Paginator
from django.db import DatabaseError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.models import Page

from merchants.models import MerchantPage
from products.models import Product

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 100
RESULTS_PER_PAGE = 20
SHOP_RESULTS = 6
PAGE_RESULTS = 5
# Characters that full-text engines read as syntax (SQLite FTS5 fails on a lone quote).
QUERY_SYNTAX = str.maketrans(dict.fromkeys('"*^():{}[]', " "))


def clean_query(raw):
    """Words only: printable characters (a NUL byte breaks full-text engines), no query
    syntax, of a sensible length."""
    printable = "".join(char if char.isprintable() else " " for char in raw)
    return " ".join(printable.translate(QUERY_SYNTAX).split())[:MAX_QUERY_LENGTH]


def in_order(queryset, ids):
    """The objects of `queryset` with these ids, in the order of `ids` (search relevance)."""
    by_id = queryset.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def search(request):
    query = clean_query(request.GET.get("q", ""))
    context = {"search_query": query, "shops": [], "products": None, "pages": []}
    if query:
        try:
            context.update(run_search(request, query))
        except DatabaseError:
            # A query the engine still cannot parse is a "no result", never a 500.
            logger.warning("Search failed for %r", query, exc_info=True)
    context["page_title"] = _("Search")
    return TemplateResponse(request, "search/search.html", context)


def run_search(request, query):
    visible_shops = MerchantPage.objects.live().public()
    shop_ids = [shop.pk for shop in visible_shops.search(query)[:SHOP_RESULTS]]
    # The search backend filters only on indexed fields: pass the visible shops as ids.
    products = Product.objects.filter(
        is_active=True, shop__in=list(visible_shops.values_list("pk", flat=True))
    ).search(query)
    page = Paginator(products, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = in_order(
        Product.objects.for_cards(), [product.pk for product in page.object_list]
    )
    return {
        "shops": in_order(MerchantPage.objects.for_cards(), shop_ids),
        "products": page,
        "pages": list(
            Page.objects.live().public().not_type(MerchantPage).search(query)[:PAGE_RESULTS]
        ),
    }
