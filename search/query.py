"""What a resident typed, turned into a query both databases answer the same way."""

import re
from dataclasses import dataclass, field

from wagtail.search.query import And, Phrase, PlainText

from home.search_text import STOP_WORDS, fold, normalise, query_terms

MAX_QUERY_LENGTH = 100
MAX_TERMS = 10
# Straight and typographic quotes: « pain de campagne », “pain de campagne”.
PHRASE = re.compile(r'"([^"]*)"|«([^»]*)»|“([^”]*)”')


def clean_query(raw):
    """Printable text of a sensible length (a NUL byte breaks full-text engines)."""
    printable = "".join(char if char.isprintable() else " " for char in raw or "")
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


@dataclass
class ParsedQuery:
    text: str  # what the resident typed, cleaned: shown back and recorded
    words: list = field(default_factory=list)  # folded words outside quotes
    phrases: list = field(default_factory=list)  # folded words of each quoted phrase
    operator: str = "and"  # every word must match; "or" for the nearest results

    @classmethod
    def parse(cls, raw):
        text = clean_query(raw)
        phrases = []
        for match in PHRASE.finditer(text):
            words = fold(next(group for group in match.groups() if group is not None))
            if words:
                phrases.append(words)
        outside = PHRASE.sub(" ", text)
        # A lone quote left over is not syntax, just a character.
        return cls(text=text, words=fold(outside)[:MAX_TERMS], phrases=phrases[:3])

    def __bool__(self):
        return bool(self.words or self.phrases)

    @property
    def key(self):
        """The query as recorded for statistics: folded, so that "Café" and "cafe" add up."""
        return " ".join(
            [*self.words, *('"{}"'.format(" ".join(phrase)) for phrase in self.phrases)]
        )

    def search_query(self):
        """The backend query: every plain word (common words left out) and every phrase."""
        parts = []
        # Beside a phrase, a lone common word narrows nothing: it is left out too.
        terms = query_terms(" ".join(self.words), keep_common=not self.phrases)
        if terms:
            parts.append(PlainText(" ".join(terms), operator=self.operator))
        for phrase in self.phrases:
            if len(phrase) == 1:
                parts.append(PlainText(normalise(phrase[0])))
            else:
                parts.append(Phrase(normalise(" ".join(phrase))))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else And(parts)

    @property
    def all_words(self):
        return self.words + [word for phrase in self.phrases for word in phrase]

    @property
    def has_alternatives(self):
        """Whether an "any of the words" query could find more than this one."""
        return len([word for word in self.words if word not in STOP_WORDS]) > 1 or bool(
            self.phrases
        )

    def any_word(self):
        """The same words, any of them: the nearest results when all of them find nothing."""
        return ParsedQuery(text=self.text, words=self.all_words[:MAX_TERMS], operator="or")

    def corrected(self, corrections, display=None):
        """A copy with some words replaced ({typed: known}); `display` gives the known
        words' written form ("creme" -> "crème") for the text shown back."""
        display = display or {}

        def fix(words):
            return [corrections.get(word, word) for word in words]

        words, phrases = fix(self.words), [fix(phrase) for phrase in self.phrases]
        shown = [display.get(word, word) for word in words]
        shown += ['"{}"'.format(" ".join(display.get(w, w) for w in p)) for p in phrases]
        return ParsedQuery(text=" ".join(shown), words=words, phrases=phrases)
