"""The portal's search backend: Wagtail's database backend (WAGTAILSEARCH_BACKENDS), whose
SQLite compiler can also rank a search's matches in one pass.

Wagtail's SQLite backend orders by relevance with a scalar subquery per matching object
that runs the full-text match again to read that object's bm25 score: each run walks the
whole list of matching rows, so ranking n matches costs n², 140 ms for "pain" among 20,000
products against 1 ms among 500. `ranked_pks` asks the other way round: the full-text
index's matches, scored once each, kept if they are in the given queryset, ordered as
Wagtail orders them (best score, then the newest object). On PostgreSQL (see
search/postgres_backend.py) the same ranking starts from the index entries, and a search
without relevance reads its matches by primary key rather than joining every object of the
model to its entry.

A search that `ranked_pks` ranks itself asks the backend for no relevance ordering of its
own (`search_results`): that ordering would be computed and thrown away.
"""

from django.db import connection
from wagtail.search.backends.database import SearchBackend as database_backend


def search_results(queryset, query, relevance=True, autocomplete=False):
    """Wagtail's search results for `query` among `queryset` (`autocomplete`: the words'
    beginnings, every one of them), most relevant first when `relevance` unless
    `ranked_pks` ranks this query by itself."""

    def search(order_by_relevance):
        if autocomplete:
            return queryset.autocomplete(
                query, operator="and", order_by_relevance=order_by_relevance
            )
        return queryset.search(query, order_by_relevance=order_by_relevance)

    results = search(relevance)
    if relevance and getattr(results.query_compiler, "ranks", False):
        results = search(False)
    return results


def ranked_pks(found, query, autocomplete=False):
    """The primary keys of `found` (a queryset of search results for `query`, filtered, as
    `search_results` gives them) most relevant first, in one query whatever their number.
    `autocomplete` as for `search_results`."""
    results = search_results(found.model.objects.all(), query, False, autocomplete)
    compiler = results.query_compiler
    if getattr(compiler, "ranks", False):
        return compiler.ranked_pks(found, compiler.get_config(results.backend))
    return list(found.values_list("pk", flat=True))


def SearchBackend(params):  # the name Wagtail looks up in a backend module
    backend = database_backend(params)
    if connection.vendor == "sqlite":  # its modules load only there
        from .sqlite_backend import RankingSQLiteSearchBackend, SQLiteSearchBackend

        if type(backend) is SQLiteSearchBackend:  # and not the fallback without FTS5
            return RankingSQLiteSearchBackend(params)
    elif connection.vendor == "postgresql":
        from .postgres_backend import PostgresSearchBackend, RankingPostgresSearchBackend

        if type(backend) is PostgresSearchBackend:
            return RankingPostgresSearchBackend(params)
    return backend
