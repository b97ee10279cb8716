"""Search at scale: the database reads a search's few matches first, whatever the size of
the index, instead of every index entry of a model with a full-text match for each."""

from decimal import Decimal

import pytest
from django.db import connection

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
