"""Show a resident what matched: the words of a text that have the stem of a query word,
wrapped in <mark>, in a short excerpt around the first of them."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from home.search_text import fold, normalise, query_terms, stem

WRITTEN_WORD = re.compile(r"\w+")
CONTEXT_WORDS = 8


def query_stems(parsed):
    """The stems to mark: a query's common words ("de", "la") only when it has no other."""
    words = parsed.all_words
    return set(query_terms(" ".join(words))) or {stem(word) for word in words}


def excerpt(text, parsed, context=CONTEXT_WORDS):
    """A marked excerpt of `text`, or "" when no word of the query is in it."""
    stems = query_stems(parsed)
    words = list(WRITTEN_WORD.finditer(text or ""))
    hits = [i for i, word in enumerate(words) if _matches(word.group(), stems)]
    if not hits:
        return ""
    first = max(hits[0] - context, 0)
    last = min(hits[0] + context, len(words) - 1)
    start, end = words[first].start(), words[last].end()
    pieces, cursor = [], start
    for i in range(first, last + 1):
        word = words[i]
        pieces.append(escape(text[cursor : word.start()]))
        if i in hits:
            pieces.append(f"<mark>{escape(word.group())}</mark>")
        else:
            pieces.append(escape(word.group()))
        cursor = word.end()
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text.rstrip()) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)


def _matches(written, stems):
    return any(normalise(part) in stems for part in fold(written))
