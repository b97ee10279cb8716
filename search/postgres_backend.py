"""Wagtail's PostgreSQL search backend, whose query compilers find a search's matches
through the index entries' own columns (see search/backend.py). Imported only on
PostgreSQL: Wagtail's module refuses to load elsewhere.

Wagtail's compiler reaches the index through the `index_entries` relation, which joins each
object to its entry on the object's key cast to text: PostgreSQL then reads every object of
the model and casts its key, whatever the number of matches (5.5 ms of 7.7 for "pain" among
20,000 products). Here the entries the full-text index finds come first, and the objects
are read by their primary key, as Wagtail's SQLite backend does."""

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import BigIntegerField, BooleanField, F, Func
from django.db.models.functions import Cast
from wagtail.search.backends.database.postgres.postgres import (
    Fuzzy,
    IndexEntry,
    MatchAll,
    Not,
    PostgresAutocompleteQueryCompiler,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
    get_descendants_content_types_pks,
)

RELATION = "index_entries__"


def on_entry(value):
    """An expression of Wagtail's on the object (`F("index_entries__title")`), read on the
    index entry itself (`F("title")`)."""
    if isinstance(value, F):
        return F(value.name.removeprefix(RELATION))
    return value


class KeyAmong(Func):
    """The object's primary key (or `key`) `= ANY(ARRAY(keys))`: the subquery's keys read
    once before the rest of the query (an InitPlan), then the rows looked up by those keys.
    With `IN (keys)`, the planner joins the two on a full-text match's statistics, which are
    guesses: it may read every object (3.2 ms against 5.2 for the products of "pain" in the
    large demo town, planning included), or, expecting one row from a filtered subquery,
    compare every entry with every key in a nested loop (25 ms against 4 for "pain" in one
    product category there)."""

    output_field = BooleanField()

    def __init__(self, keys, key="pk"):
        super().__init__(F(key), ArraySubquery(keys))

    def as_sql(self, compiler, connection, **extra_context):
        (key, key_params), (keys, keys_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        return f"{key} = ANY({keys})", (*key_params, *keys_params)


class Ranking:
    """For a PostgreSQL query compiler, search's or autocomplete's."""

    @property
    def ranks(self):
        """Whether this query is matched and ranked through the index entries: words over
        the whole index, not a query that matches everything, a negated or fuzzy one, or
        one limited to some fields (Wagtail reads those on the objects themselves)."""
        return self.fields is None and not isinstance(self.query, (MatchAll, Not, Fuzzy))

    def entries(self, config):
        """The index entries of the model's objects that match the query, each with the
        object's primary key (`object_pk`) and Wagtail's vectors read on the entry."""
        search_query = self.build_tsquery(self.query, config=config)
        vectors = [
            (on_entry(vector), on_entry(boost))
            for vector, boost in self.get_index_vectors(search_query)
        ]
        # The same expression as Wagtail's (`title || body`), which has its own GIN index.
        words = vectors[0][0]
        for vector, _boost in vectors[1:]:
            words = words._combine(vector, "||", False)
        entries = (
            IndexEntry.objects.filter(
                content_type__in=get_descendants_content_types_pks(self.queryset.model)
            )
            .alias(_vector_=words)
            .filter(_vector_=search_query)
            .annotate(object_pk=Cast("object_id", BigIntegerField()))
        )
        return entries, vectors

    def ranked_pks(self, within, config):
        """The primary keys (integers, as the portal's models have) of the objects of
        `within` that match the query, most relevant first as Wagtail orders them (best
        score, then the newest object); None for a query it does not rank."""
        if not self.ranks:
            return None
        entries, vectors = self.entries(config)
        ranked = (
            entries.filter(KeyAmong(within.order_by().values("pk"), key="object_pk"))
            .annotate(score=self._build_rank_expression(vectors, config))
            .order_by("-score", "-object_pk")
        )
        # Each object once, even if indexed under two of its model's content types.
        return list(dict.fromkeys(ranked.values_list("object_pk", flat=True)))

    def search(self, config, start, stop, score_field=None, backend=None):
        """Without relevance (filters, counts, an order of the caller's), the objects whose
        entry matches, read by primary key; Wagtail's own search otherwise."""
        if self.order_by_relevance or score_field is not None or not self.ranks:
            return super().search(config, start, stop, score_field, backend)
        entries, _vectors = self.entries(config)
        queryset = self.queryset.filter(KeyAmong(entries.values("object_pk")))
        return self._apply_ordering_and_scoring(queryset, None, start, stop)


class RankingPostgresQueryCompiler(Ranking, PostgresSearchQueryCompiler):
    pass


class RankingPostgresAutocompleteQueryCompiler(Ranking, PostgresAutocompleteQueryCompiler):
    pass


class RankingPostgresSearchBackend(PostgresSearchBackend):
    query_compiler_class = RankingPostgresQueryCompiler
    autocomplete_query_compiler_class = RankingPostgresAutocompleteQueryCompiler
