"""Search-index what bulk writes changed: queryset.update() and bulk_create() send no signal."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from wagtail.search.backends import get_search_backends

CHUNK = 500


def reindex(queryset, ids):
    """Add or refresh the objects of `queryset` whose pk is in `ids`, in chunks, once each."""
    ids = list(ids)
    backends = list(get_search_backends())
    with transaction.atomic():
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            _forget_on_sqlite(queryset.model, chunk)
            objects = list(queryset.filter(pk__in=chunk))
            for backend in backends:
                backend.add_bulk(queryset.model, objects)
    refresh_planner_statistics()


def refresh_planner_statistics():
    """Tell SQLite's query planner how the search index is spread, after a bulk change.

    Without statistics SQLite takes every indexed equality for a selective one: for a
    search it read all the index entries of a model by their `content_type_id` and ran
    the full-text match once for each, 20,000 times on a town of 20,000 products (2 s for
    "pain"), instead of reading the few matches first. ANALYZE of that one table takes
    milliseconds; PostgreSQL keeps its statistics itself (autovacuum)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE wagtailsearch_indexentry")


def _forget_on_sqlite(model, ids):
    """SQLite's index backend refreshes an existing entry with one UPDATE each (PostgreSQL's
    upserts them all at once): dropping the chunk's entries first lets it insert them all in
    one statement. Entries are per model; a multi-table model keeps its own here."""
    if connection.vendor != "sqlite":
        return
    from wagtail.search.models import IndexEntry

    IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk in ids],
    ).delete()
