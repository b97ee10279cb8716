""" "Vouliez-vous dire …": a mistyped word of five letters or more is corrected to the
nearest word the portal's shops and products use.

The vocabulary is read from the same text the search index holds (each model's
`searchable_text`), built only when a search finds nothing, and cached for ten minutes:
a word new in the last minutes is not yet offered as a correction, which costs less than
a cache write on every product saved (an import saves thousands).
"""

import re
import string
from collections import Counter, defaultdict

from django.core.cache import cache

from home.search_text import fold, stem
from merchants.models import MerchantPage
from products.models import Product

MIN_LENGTH = 5
CACHE_TIMEOUT = 10 * 60
CACHE_KEY = "search:vocabulary"
WRITTEN_WORD = re.compile(r"\w+")
LETTERS = string.ascii_lowercase + string.digits


class Vocabulary:
    def __init__(self, texts):
        self.counts = Counter()
        forms = defaultdict(Counter)
        for text in texts:
            for written in WRITTEN_WORD.findall(text.lower()):
                for word in fold(written):
                    self.counts[word] += 1
                    forms[word][written] += 1
        # The most used word of each stem: "croisants" is corrected to "croissant".
        self.by_stem = {}
        for word, _count in self.counts.most_common():
            self.by_stem.setdefault(stem(word), word)
        self.stems = set(self.by_stem)
        # The written form most used for each folded word: "creme" is shown "crème".
        self.display = {word: written.most_common(1)[0][0] for word, written in forms.items()}

    def knows(self, word):
        return word in self.counts or stem(word) in self.stems

    def nearest(self, word):
        """The most used known word one edit away (a letter wrong, missing, added or two
        letters swapped), or None. An edit that is another form of a known word leads to
        that word: "croisants" is a form of "croissant", the word written in the shops."""
        nearby = edits(word)
        candidates = [known for known in nearby if known in self.counts]
        if candidates:
            return max(candidates, key=lambda known: (self.counts[known], known))
        forms = {self.by_stem[stem(edit)] for edit in nearby if stem(edit) in self.by_stem}
        if not forms:
            return None
        return max(forms, key=lambda known: (self.counts[known], known))

    def corrections(self, words):
        """{typed: known} for each unknown word of five letters or more that has a near one."""
        fixed = {}
        for word in words:
            if len(word) >= MIN_LENGTH and not word.isdigit() and not self.knows(word):
                known = self.nearest(word)
                if known:
                    fixed[word] = known
        return fixed


def edits(word):
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {left + right[1:] for left, right in splits if right}
    swaps = {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    replaces = {left + c + right[1:] for left, right in splits if right for c in LETTERS}
    inserts = {left + c + right for left, right in splits for c in LETTERS}
    return (deletes | swaps | replaces | inserts) - {word}


def build_vocabulary():
    shops = MerchantPage.objects.live().public().prefetch_related("categories")
    products = Product.objects.visible().select_related("shop", "category")
    texts = [shop.searchable_text() for shop in shops.select_related("neighbourhood")]
    texts += [product.searchable_text() for product in products.iterator(chunk_size=2000)]
    return Vocabulary(texts)


def vocabulary():
    found = cache.get(CACHE_KEY)
    if found is None:
        found = build_vocabulary()
        cache.set(CACHE_KEY, found, CACHE_TIMEOUT)
    return found
