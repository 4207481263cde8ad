"""A document's words, and where its clauses begin and end."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from textlake.nlp.quotes.quotation import Span, Word

WORD = re.compile(r"[^\W\d_][\w-]*|\d[\d.,]*", re.UNICODE)


@dataclass(frozen=True)
class WordIndex:
    """A document's words in text order, found by where they start."""

    words: list[Word]
    starts: list[int]

    @classmethod
    def of(cls, text: str) -> WordIndex:
        words = [Word(m.start(), m.end(), m.group(0)) for m in WORD.finditer(text)]
        return cls(words, [w.start for w in words])

    def between(self, start: int, end: int) -> list[Word]:
        """The words that start in start..end."""
        return self.words[bisect.bisect_left(self.starts, start) : bisect.bisect_left(self.starts, end)]


def word_count(text: str, span: Span) -> int:
    return len(WORD.findall(text, span[0], span[1]))


def stripped(text: str, start: int, end: int) -> Span:
    """start..end without surrounding whitespace, commas and the sentence's final punctuation."""
    while start < end and (text[start].isspace() or text[start] in ",;:–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".!?,;:"):
        end -= 1
    return (start, end)


def clause_comma(text: str, start: int, end: int, last: bool = False) -> int:
    """The first (or last) comma in start..end that separates clauses, not digits ("6,5 Prozent"); -1 if none."""
    while (at := text.rfind(",", start, end) if last else text.find(",", start, end)) != -1:
        if not (text[at - 1 : at].isdigit() and text[at + 1 : at + 2].isdigit()):
            return at
        start, end = (start, at) if last else (at + 1, end)
    return -1


def start_of_clause(text: str, sentence_start: int, position: int) -> int:
    comma = clause_comma(text, sentence_start, position, last=True)
    return comma + 1 if comma != -1 else sentence_start
