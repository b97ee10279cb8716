"""The one normalisation that both the search index and the residents' queries go
through, so that matching is the same on SQLite (FTS5 folds accents, does not stem) and
PostgreSQL (stems, keeps accents): lower case, accents folded, each word reduced to its
French Snowball stem. Both backends then compare plain stems with the "simple" config.
"""

import re
from functools import lru_cache

import snowballstemmer
from anyascii import anyascii

WORD = re.compile(r"[a-z0-9]+")
# Words too common to narrow a search ("pain de campagne" must find "pain campagne").
# They stay in the index, so that a quoted phrase keeps its word positions.
STOP_WORDS = frozenset(
    "a au aux avec ce ces d dans de des du en et l la le les mes mon ou par pour sa ses"
    " son sur ta tes ton un une".split()
)

_stemmer = snowballstemmer.stemmer("french")


def fold(text):
    """Lower case ASCII words: "Crème brûlée" -> ["creme", "brulee"]."""
    return WORD.findall(anyascii(text or "").lower())


@lru_cache(maxsize=20_000)
def stem(word):
    return _stemmer.stemWord(word)


def normalise(text):
    """The indexed form of a text: its folded words' stems, in order."""
    return " ".join(stem(word) for word in fold(text))


def query_terms(text, keep_common=True):
    """The stems a plain query must all match, common words left out (unless the query is
    nothing but common words and `keep_common`)."""
    words = fold(text)
    kept = [word for word in words if word not in STOP_WORDS]
    if not kept and keep_common:
        kept = words
    return [stem(word) for word in kept]
