"""The portal's search backend: Wagtail's database backend (WAGTAILSEARCH_BACKENDS), whose
SQLite compiler can also rank a search's matches in one pass.

Wagtail's SQLite backend orders by relevance with a scalar subquery per matching object
that runs the full-text match again to read that object's bm25 score: each run walks the
whole list of matching rows, so ranking n matches costs n², 140 ms for "pain" among 20,000
products against 1 ms among 500. `ranked_pks` asks the other way round: the full-text
index's matches, scored once each, kept if they are in the given queryset, ordered as
Wagtail orders them (best score, then the newest object). PostgreSQL's backend already
joins its index and scores each row once: it is Wagtail's, unchanged.
"""

from django.db import connection
from wagtail.search.backends.database import SearchBackend as database_backend


def ranked_pks(found, query, autocomplete=False):
    """The primary keys of `found` (a queryset of search results for `query`, filtered, most
    relevant first) in that order, in one query whatever their number. `autocomplete` as
    for search/results.py's `search_queryset`."""
    if autocomplete:
        compiler = found.model.objects.autocomplete(query, operator="and").query_compiler
    else:
        compiler = found.model.objects.search(query).query_compiler
    if hasattr(compiler, "ranked_pks"):
        pks = compiler.ranked_pks(found)
        if pks is not None:
            return pks
    return list(found.values_list("pk", flat=True))


def SearchBackend(params):  # the name Wagtail looks up in a backend module
    backend = database_backend(params)
    if connection.vendor == "sqlite":  # its modules load only there
        from .sqlite_backend import RankingSQLiteSearchBackend, SQLiteSearchBackend

        if type(backend) is SQLiteSearchBackend:  # and not the fallback without FTS5
            return RankingSQLiteSearchBackend(params)
    return backend
