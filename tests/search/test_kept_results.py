"""The search page of a shared visit is kept until the next purge ({% shared_fragment %}):
its results, their count, the facet counts in the form, the correction, the "nothing found"
help and the content pages. A visit that finds them kept runs no search at all, not even
to record a resident's search for the city's statistics.

The page cache is off, as in tests/portal/test_fragments.py: only the kept part is in play.
"""

import re
from datetime import time
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from merchants.models import OpeningHours
from search.models import SearchRecord
from search.results import SiteSearch

from .. import builders, timetravel
from ..portal.test_fragments import BROWSER, page, rename_unannounced, tokens
from ..portal.test_page_cache import ADD_URL, fresh, visitor

pytestmark = pytest.mark.django_db

URL = "/search/?q=pain"


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def breads(bakery, flower_shop):
    category = builders.product_category("Pains")
    return [
        builders.product(bakery, "Pain de campagne", category=category),
        builders.product(bakery, "Pain complet", category=category),
        builders.product(flower_shop, "Pain d'épices", price=Decimal("5.00")),
    ]


def resident(address="198.51.100.7"):
    return Client(REMOTE_ADDR=address, headers={"user-agent": BROWSER})


def visit(url, client=None):
    with CaptureQueriesContext(connection) as queries:
        html = page(url, client or resident())
    return html, [query["sql"] for query in queries]


def searched(queries):
    """The queries that searched: the search index read, or the results counted."""
    return [sql for sql in queries if "wagtailsearch_" in sql or "COUNT(" in sql]


def test_a_second_visit_shows_the_kept_results_without_searching(breads):
    first, first_queries = visit(URL)
    assert searched(first_queries)

    second, second_queries = visit(URL)

    assert second == first
    assert "3 results" in second or "3 résultats" in second
    assert "Pains (2)" in second  # the facet counts in the form are kept with the results
    assert searched(second_queries) == []
    assert len(second_queries) < len(first_queries)


def test_a_saved_product_changes_the_kept_results_at_once(breads):
    assert "Pains (2)" in page(URL)
    rename_unannounced(breads[0], "Pain oublié")
    with connection.cursor() as cursor:  # no signal: nothing purges
        cursor.execute(
            "UPDATE products_product SET category_id = %s WHERE id = %s",
            [breads[0].category_id, breads[2].pk],
        )
    kept = page(URL)
    assert "Pain oublié" not in kept and "Pains (2)" in kept

    builders.product(breads[0].shop, "Pain aux noix", category=breads[0].category)

    html = page(URL)
    assert "Pain oublié" in html and "Pain aux noix" in html
    assert "Pains (4)" in html and ("4 results" in html or "4 résultats" in html)


def test_an_invalid_filter_keeps_its_message_and_what_was_typed(breads):
    url = URL + "&category=licornes"
    page(url)

    html, queries = visit(url)

    assert searched(queries) == []
    field = re.search(r'<div class="field field--error">.*?</div>', html, re.S).group()
    assert 'id="id_category-error"' in field and 'value="pain"' in html


def test_a_visitor_with_a_session_gets_fresh_results_with_their_tokens(breads):
    page(URL)
    own = Client(enforce_csrf_checks=True, headers={"user-agent": BROWSER})
    token = own.get(reverse("orders:visitor")).json()["csrf_token"]
    own.post(
        ADD_URL,
        {"product": breads[1].pk, "quantity": 1, "next": URL, "csrfmiddlewaretoken": token},
    )
    rename_unannounced(breads[0], "Pain du jour")

    html, queries = visit(URL, own)

    assert "Pain du jour" in html and searched(queries)
    assert tokens(html) and all(tokens(html))
    shared, queries = visit(URL)
    assert "Pain du jour" not in shared and set(tokens(shared)) == {""}
    assert searched(queries) == []


def test_a_search_shown_from_the_kept_page_is_recorded_with_its_results(breads):
    page(URL, resident("198.51.100.7"))

    html, queries = visit(URL, resident("203.0.113.9"))  # another resident, same search

    assert searched(queries) == [] and "Pain de campagne" in html
    record = SearchRecord.objects.get(query="pain")
    assert (record.hits, record.results) == (2, 3)


def test_a_search_recorded_after_a_visit_that_was_not_recorded_runs_no_search(breads):
    # The first resident's repeat after a purge is not counted again, yet it searches: the
    # number of results it found is kept for the next resident's record.
    first = resident("198.51.100.7")
    page(URL, first)
    breads[2].delete()  # a purge: the results and their number are searched again
    page(URL, first)

    html, queries = visit(URL, resident("203.0.113.9"))

    assert searched(queries) == [] and "Pain complet" in html
    record = SearchRecord.objects.get(query="pain")
    assert (record.hits, record.results) == (2, 2)


def test_a_failed_search_is_never_kept(breads, monkeypatch, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 3600

    def fails(self):
        raise DatabaseError("the engine cannot read it")

    with monkeypatch.context() as patched:
        patched.setattr(SiteSearch, "facet_counts", fails)
        failed = visitor().get(URL)
        assert 'id="no-results-title"' in failed.content.decode()
        assert failed["X-Cache"] == "BYPASS"

    html = fresh(URL)
    assert 'id="no-results-title"' not in html and "Pain de campagne" in html
    assert SearchRecord.objects.get(query="pain").results == 0  # what the first visit found


def test_the_results_open_now_are_searched_anew_when_a_shop_opens(db):
    # The "open now" filter's next change (a shop opening) ends the results kept, though
    # nothing was saved.
    late = builders.shop("Épicerie Tardive", hours=None)
    night = builders.shop("Le Noctambule", hours=None)
    for weekday in range(7):
        OpeningHours.objects.create(shop=late, weekday=weekday, opens=time(8), closes=time(23))
        OpeningHours.objects.create(shop=night, weekday=weekday, opens=time(20), closes=time(2))
    builders.product(late, "Pain de mie")
    builders.product(night, "Pain de minuit")
    open_now = URL + "&open_now=on"
    # Monday 14 June 2027, 19:59 in Brussels, then 20:00:01.
    with timetravel.travel("2027-06-14T17:59:00+00:00"):
        assert "Pain de minuit" not in page(open_now)
    with timetravel.travel("2027-06-14T17:59:30+00:00"):
        html, queries = visit(open_now)
        assert "Pain de minuit" not in html and searched(queries) == []  # kept
    with timetravel.travel("2027-06-14T18:00:01+00:00"):
        html = page(open_now)
        assert "Pain de minuit" in html and "Pain de mie" in html
