"""Search at scale: the database reads a search's few matches first, whatever the size of
the index, instead of every index entry of a model with a full-text match for each."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from merchants.models import MerchantPage
from products.indexing import reindex
from products.models import Product
from search.results import search_queryset

from .. import builders

pytestmark = pytest.mark.django_db
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner")


def query_plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [row[-1] for row in cursor.fetchall()]


@on_sqlite
def test_a_search_after_a_bulk_indexing_starts_from_the_full_text_matches():
    # A catalogue imported in bulk (the import, a catalogue sync, the demo town), where a
    # few products of many match.
    shop = builders.shop("Boulangerie du Marché")
    names = [f"Pain numéro {n}" if n % 50 == 0 else f"Article {n}" for n in range(500)]
    Product.objects.bulk_create(
        Product(shop=shop, name=name, slug=f"article-{n}", price=Decimal("2.00"))
        for n, name in enumerate(names)
    )
    reindex(
        Product.objects.select_related("shop", "category"),
        Product.objects.values_list("pk", flat=True),
    )

    plan = query_plan(search_queryset(Product.objects.all(), "pain"))

    # The index entries are looked up by the rowids the full-text index found (their
    # primary key), not scanned by content type with a full-text match run for each one.
    entry_lookups = [step for step in plan if " U1 " in f"{step} "]
    assert entry_lookups, plan
    assert all("INTEGER PRIMARY KEY" in step for step in entry_lookups), plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's index")
def test_postgresql_has_an_index_for_the_words_the_backend_matches():
    # The backend matches `title || body` against the query; Wagtail's own GIN indexes are
    # on each column alone, which left every search reading the whole index (EXPLAIN
    # ANALYZE on the large town: 65 ms for "pain", 13 ms with this index). A test's table
    # is too small for the planner to choose it, so its definition is checked.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'wagtailsearch_indexentry'"
        )
        definitions = [row[0] for row in cursor.fetchall()]
    assert any("gin (((title || body)))" in definition for definition in definitions), definitions


def plan_tree(sql):
    """EXPLAIN QUERY PLAN of `sql` as (detail, details of its parent steps) per step."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        rows = cursor.fetchall()
    details = {row[0]: (row[1], row[-1]) for row in rows}
    steps = []
    for parent, detail in details.values():
        parents = []
        while parent in details:
            parents.append(details[parent][1])
            parent = details[parent][0]
        steps.append((detail, parents))
    return steps


@override_settings(PORTAL_PAGE_CACHE_SECONDS=0)  # each request runs the search
def search_page_plans(client, url):
    client.get(url)  # warm-up
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    selects = [query["sql"] for query in queries if query["sql"].startswith("SELECT")]
    return {sql: plan_tree(sql) for sql in selects}


@pytest.fixture
def bakeries():
    category = builders.category("Boulangerie")
    for number in range(3):
        shop = builders.shop(
            f"Fournil {number}",
            categories=[category],
            offers_delivery=number > 0,
            delivery_postcodes="7000",
        )
        for kind in ("de campagne", "complet", "aux noix"):
            builders.product(shop, f"Pain {kind}", short_description="Pain au levain.")
        builders.product(shop, "Croissant")


@on_sqlite
@pytest.mark.parametrize("query", ["pain", "pain&delivery=on", "pain&sort=price", "croisants"])
def test_a_search_runs_its_full_text_match_once_per_query(client, bakeries, query):
    # Wagtail's relevance score is a subquery per matching object that runs the full-text
    # match again: n matches cost n full-text look-ups (140 ms for "pain" in the large demo
    # town). The search ranks the matches of one full-text look-up instead.
    plans = search_page_plans(client, f"/search/?q={query}")

    for sql, steps in plans.items():
        for detail, parents in steps:
            in_loop = [parent for parent in parents if parent.startswith("CORRELATED")]
            assert not ("VIRTUAL TABLE" in detail and in_loop), (sql, steps)


@on_sqlite
def test_open_now_reads_each_shops_hours_by_shop(client, bakeries):
    # Without it, each shop read every shop's hours of the day (the day's index).
    plan = query_plan(MerchantPage.objects.open_at())

    hours = [step for step in plan if "merchants_o" in step or "openinghours" in step]
    assert hours, plan
    assert all("openinghours_shop_day" in step for step in hours), plan


on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's SQL")


@on_postgresql
@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=pain",
        "/search/?q=pain&delivery=on",
        "/search/?q=pain&sort=price",
        "/search/?q=pain+croissant",  # nothing has both: the nearest results
        "/search/?q=croi",  # nothing: names that start alike
        "/search/suggest/?q=pai",
    ],
)
def test_a_search_on_postgresql_reads_its_matches_by_key(client, bakeries, url):
    # Wagtail's PostgreSQL backend joined each object to its index entry on the object's
    # key cast to text: the database read and cast every product of the town for each
    # product query of a search (5.5 ms of 7.7 for "pain" among 20,000 products). The
    # matches come from the index entries, the objects are read by their key.
    with (
        override_settings(PORTAL_PAGE_CACHE_SECONDS=0),
        CaptureQueriesContext(connection) as queries,
    ):
        assert client.get(url).status_code == 200

    searches = [query["sql"] for query in queries if "wagtailsearch_indexentry" in query["sql"]]
    assert searches
    for sql in searches:
        assert 'JOIN "wagtailsearch_indexentry"' not in sql, sql
        assert "::varchar" not in sql, sql


@on_postgresql
@pytest.mark.parametrize("url", ["/search/?q=pain", "/search/?q=pain&delivery=on"])
def test_a_filtered_search_on_postgresql_ranks_its_matches_among_keys_read_first(
    client, bakeries, url
):
    # Ranking joined the matching entries to the filtered results with `IN (SELECT …)`.
    # Expecting one result from the filters (a full-text match's statistics are guesses),
    # the planner compared each entry with each result in a nested loop: 25 ms against 4
    # for "pain" in one product category of the large town (EXPLAIN ANALYZE). The results'
    # keys are now read once, as an array, before the entries are ranked.
    with (
        override_settings(PORTAL_PAGE_CACHE_SECONDS=0),
        CaptureQueriesContext(connection) as queries,
    ):
        assert client.get(url).status_code == 200

    rankings = [query["sql"] for query in queries if "ts_rank" in query["sql"]]
    assert rankings
    for sql in rankings:
        assert '"object_id")::bigint = ANY(ARRAY(SELECT' in sql, sql
        assert '"object_id")::bigint IN (SELECT' not in sql, sql
