"""Search-index what bulk writes changed: queryset.update() and bulk_create() send no signal."""

from django.db import transaction
from wagtail.search.backends import get_search_backends

CHUNK = 500


def reindex(queryset, ids):
    """Add or refresh the objects of `queryset` whose pk is in `ids`, in chunks, once each."""
    ids = list(ids)
    backends = list(get_search_backends())
    with transaction.atomic():
        for start in range(0, len(ids), CHUNK):
            objects = list(queryset.filter(pk__in=ids[start : start + CHUNK]))
            for backend in backends:
                backend.add_bulk(queryset.model, objects)
