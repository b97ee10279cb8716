"""Wagtail's SQLite search backend, whose query compilers can also rank a search's
matches in one pass (see search/backend.py). Imported only on SQLite: the full-text
table's model exists only there."""

from django.db.models import IntegerField, TextField
from django.db.models.functions import Cast
from wagtail.search.backends.database.sqlite.sqlite import (
    MatchAll,
    MatchExpression,
    Not,
    SQLiteAutocompleteQueryCompiler,
    SQLiteFTSIndexEntry,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
    get_descendants_content_types_pks,
    normalize,
)


class Ranking:
    """For a SQLite query compiler, search's or autocomplete's."""

    @property
    def ranks(self):
        """Whether `ranked_pks` ranks this query: not one that matches everything or is
        negated, which `search()` answers without ranking."""
        return not isinstance(normalize(self.query), (MatchAll, Not))

    def ranked_pks(self, within, config):
        """The primary keys (integers, as the portal's models have) of the objects of
        `within` that match the query, most relevant first; None for a query it does not
        rank."""
        if not self.ranks:
            return None
        match = MatchExpression(
            self.fields or self.FTS_TABLE_FIELDS,
            self.build_search_query(normalize(self.query), config=config),
        )
        keys = within.order_by().annotate(key=Cast("pk", TextField())).values("key")
        entries = (
            SQLiteFTSIndexEntry.objects.filter(match)
            .filter(
                index_entry__content_type__in=get_descendants_content_types_pks(
                    self.queryset.model
                ),
                index_entry__object_id__in=keys,
            )
            .annotate(
                score=self._build_rank_expression(self.get_search_vectors(), config),
                object_pk=Cast("index_entry__object_id", IntegerField()),
            )
            .order_by("score", "-object_pk")
        )
        # Each object once, even if indexed under two of its model's content types.
        return list(dict.fromkeys(entries.values_list("object_pk", flat=True)))


class RankingSQLiteQueryCompiler(Ranking, SQLiteSearchQueryCompiler):
    pass


class RankingSQLiteAutocompleteQueryCompiler(Ranking, SQLiteAutocompleteQueryCompiler):
    pass


class RankingSQLiteSearchBackend(SQLiteSearchBackend):
    query_compiler_class = RankingSQLiteQueryCompiler
    autocomplete_query_compiler_class = RankingSQLiteAutocompleteQueryCompiler
