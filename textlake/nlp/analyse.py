"""The language stage over a batch of documents: sentences, then entities with canonical names, then
quotations with their speakers."""

from __future__ import annotations

import bisect
import heapq
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from textlake.ingest.prepare import PreparedDocument
from textlake.nlp.canonical import canonical_names
from textlake.nlp.entities import Mention, Recognizer
from textlake.nlp.places import clubs_not_places, region_keys, region_names
from textlake.nlp.quotes import Quotation, find_quotations
from textlake.nlp.segment import SentenceSpan, segment_sentences


@dataclass(frozen=True)
class EntitySpan:
    start: int  # code points into the document
    end: int
    text: str
    label: str
    canonical: str
    sentence: int  # ordinal of the sentence that holds it
    found_by: str = "model"  # Mention.found_by
    relabelled: bool = False  # the document's vote gave it another label than the one it was found with


@dataclass(frozen=True)
class AnalysedDocument:
    document: PreparedDocument
    sentences: list[SentenceSpan]
    entities: list[EntitySpan]
    model: str | None  # None when NER did not run (language not served)
    quotations: list[Quotation]  # German documents only: the rules read German


# The quotation rules read German reporting verbs and the German subjunctive.
QUOTATION_LANGUAGES = ("de",)


def analyse_documents(
    documents: Sequence[PreparedDocument],
    recognizer: Recognizer | None,
    ner_languages: Sequence[str] = ("de",),
    with_quotations: bool = True,
) -> list[AnalysedDocument]:
    """Segment every document; run NER over the sentences of those in `ner_languages`, in one pass; then
    find the quotations of German documents (unless `with_quotations` is off: the quotation model's
    training reads sentences and entities alone)."""
    segmented = [segment_sentences(doc.text) for doc in documents]
    wants_ner = [wants_entities(doc, recognizer, ner_languages) for doc in documents]
    sentence_texts = [
        text
        for doc, spans, wanted in zip(documents, segmented, wants_ner, strict=True)
        if wanted
        for text in sentence_texts_of(doc, spans)
    ]
    mentions = iter(recognizer.recognise(sentence_texts) if recognizer and sentence_texts else [])
    return [
        finish_document(doc, spans, [next(mentions) for _ in spans] if wanted else None, recognizer, with_quotations)
        for doc, spans, wanted in zip(documents, segmented, wants_ner, strict=True)
    ]


def wants_entities(document: PreparedDocument, recognizer: Recognizer | None, ner_languages: Sequence[str]) -> bool:
    """Whether NER runs on the document: a model is loaded and serves its language."""
    return recognizer is not None and document.language in ner_languages


def sentence_texts_of(document: PreparedDocument, spans: Sequence[SentenceSpan]) -> list[str]:
    return [document.text[span.start : span.end] for span in spans]


def sentence_parts(spans: Sequence[SentenceSpan], part_chars: int) -> list[range]:
    """The sentences of a long document in consecutive runs (ordinals) of about `part_chars` of text each,
    to be recognised apart: on several workers, and with progress to show between them."""
    if not spans:
        return []
    total = spans[-1].end - spans[0].start
    parts = max(1, round(total / part_chars))
    bounds = [0]
    for ordinal, span in enumerate(spans):
        if span.start - spans[0].start >= total / parts * len(bounds) and len(bounds) < parts:
            bounds.append(ordinal)
    bounds.append(len(spans))
    return [range(a, b) for a, b in itertools.pairwise(bounds) if b > a]


def finish_document(
    document: PreparedDocument,
    spans: list[SentenceSpan],
    mentions: Sequence[list[Mention]] | None,
    recognizer: Recognizer | None,
    with_quotations: bool = True,
) -> AnalysedDocument:
    """The steps that read the document as a whole, once NER has given each sentence its mentions (None:
    NER did not run): names repeated where the model left them untagged, canonical names, one label per
    name, then quotations."""
    found: list[tuple[int, SentenceSpan, Mention]] = []
    if mentions is not None:
        for ordinal, (span, in_sentence) in enumerate(zip(spans, mentions, strict=True)):
            found.extend((ordinal, span, mention) for mention in in_sentence)
    found += [(o, s, replace(m, found_by="repeated")) for o, s, m in _repeat_mentions(document.text, spans, found)]
    found.sort(key=lambda item: item[1].start + item[2].start)
    found = clubs_not_places(document.text, found)
    names = canonical_names(
        [(m.text, m.label) for _, _, m in found],
        recognizer.known_names if recognizer else (),
        recognizer.given_name if recognizer else None,
    )
    names = region_names(document.text, found, names, region_keys())
    labels = one_label_per_name([(name, m.label) for (_, _, m), name in zip(found, names, strict=True)])
    entities = [
        EntitySpan(span.start + m.start, span.start + m.end, m.text, label, name, ordinal, m.found_by, label != m.label)
        for (ordinal, span, m), name, label in zip(found, names, labels, strict=True)
    ]
    quoting = with_quotations and document.language in QUOTATION_LANGUAGES
    quotations = find_quotations(document.text, spans, entities) if quoting else []
    model = recognizer.name if recognizer and mentions is not None else None
    return AnalysedDocument(document, spans, entities, model, quotations)


def one_label_per_name(mentions: Sequence[tuple[str, str]]) -> list[str]:
    """The label each (canonical name, label) mention gets so that a name has one label in a document: the
    one most of its mentions have (the first mention's on a tie). "Strache" tagged PER twice and ORG once
    is a person throughout."""
    votes: dict[str, Counter[str]] = {}
    for name, label in mentions:
        votes.setdefault(name, Counter())[label] += 1
    chosen = {name: count.most_common(1)[0][0] for name, count in votes.items()}  # ties: first seen wins
    return [chosen[name] for name, _ in mentions]


_NAME_LABELS = ("PER", "LOC", "ORG")


# A name is repeated where the model left it untagged only when the model tagged it at least this share of
# the times the document writes it: a few stray tags ("Windows" a person in 5 of 18 mentions) are not
# spread over the document.
MIN_TAGGED_SHARE = 0.5


def _repeat_mentions(
    text: str, spans: list[SentenceSpan], found: list[tuple[int, SentenceSpan, Mention]]
) -> list[tuple[int, SentenceSpan, Mention]]:
    """Document-level consistency: a name the model tagged is the same entity wherever else it stands in
    the document (also a person's surname alone, and a genitive -s), unless something else was tagged
    there or the model left most of its occurrences untagged."""
    names: dict[str, str] = {}
    tagged: Counter[str] = Counter()
    surnames: set[str] = set()  # of a person named in full: the full name is the evidence
    for _, _, m in found:
        if m.label in _NAME_LABELS and m.text[:1].isupper():
            names.setdefault(m.text, m.label)
            tagged[m.text] += 1
            if m.label == "PER" and " " in m.text:
                surname = m.text.rsplit(" ", 1)[1]
                names.setdefault(surname, "PER")
                surnames.add(surname)
    names = {name: label for name, label in names.items() if len(name) >= 3}
    if not names:
        return []
    finder = NameFinder(names)
    tagged_here = TaggedSpans((span.start + m.start, span.start + m.end) for _, span, m in found)
    untagged: dict[str, list[tuple[int, SentenceSpan, Mention]]] = {}
    for ordinal, span in enumerate(spans):
        for start, end, name in finder.finditer(text, span.start, span.end):
            # the names found never overlap one another (the finder moves past each): only the model's
            # mentions can stand in the way
            if tagged_here.overlap(start, end):
                continue
            mention = Mention(start - span.start, end - span.start, text[start:end], names[name])
            untagged.setdefault(name, []).append((ordinal, span, mention))
    return [
        mention
        for name, mentions in untagged.items()
        if name in surnames or tagged[name] >= MIN_TAGGED_SHARE * (tagged[name] + len(mentions))
        for mention in mentions
    ]


class TaggedSpans:
    """Spans of a document, asked whether any of them overlaps start..end: in time that grows with the log
    of their number, not with their number (a long document has tens of thousands of mentions)."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        ordered = sorted(spans)
        self._starts = [start for start, _ in ordered]
        # the furthest end among the spans up to each: one of those starting before `end` reaches past
        # `start` exactly when the furthest of them does
        self._reach = list(itertools.accumulate((end for _, end in ordered), max))

    def overlap(self, start: int, end: int) -> bool:
        before_end = bisect.bisect_left(self._starts, end)
        return before_end > 0 and self._reach[before_end - 1] > start


_WORD_START = re.compile(r"(?<![\w-])\w+")
_WORD_CHAR_OR_HYPHEN = re.compile(r"[\w-]")


class NameFinder:
    r"""Where names stand in a text as whole words, a genitive -s allowed ("Putins"), the longest name first
    where several start at one place: the matches of the regular expression
    `(?<![\w-])(NAME|NAME|…)s?(?![\w-])`, its names longest first. A name is looked up by the word that
    starts at a place instead of every name being tried there: the expression took time in proportion to
    the names times the text, and a long document has thousands of names."""

    def __init__(self, names: Iterable[str]):
        self._by_first_word: dict[str, list[str]] = {}  # each list longest first
        others: list[str] = []  # names that do not start with a letter or digit ("(Grüne)"): rare
        for name in sorted(names, key=len, reverse=True):
            first_word = re.match(r"\w+", name)
            if first_word is None:
                others.append(name)
            else:
                self._by_first_word.setdefault(first_word.group(0), []).append(name)
        self._others = (
            re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, others)) + r")s?(?![\w-])") if others else None
        )
        self._others_first = re.compile("[" + re.escape("".join({n[0] for n in others})) + "]") if others else None

    def finditer(self, text: str, start: int, end: int) -> Iterator[tuple[int, int, str]]:
        """(start, end, name) of each name in text[start:end], in order, none overlapping: what `finditer`
        of the expression gives with these bounds (it sees the text before `start`, nothing after `end`)."""
        places: Iterable[tuple[int, str | None]] = (
            (m.start(), m.group(0)) for m in _WORD_START.finditer(text, start, end)
        )
        if self._others_first is not None:  # where a name of the others may start: no word there
            others = ((m.start(), None) for m in self._others_first.finditer(text, start, end))
            places = heapq.merge(places, others, key=lambda place: place[0])
        position = start
        for at, word in places:
            if at < position:
                continue
            found = self._name_at(text, at, word, end) if word is not None else self._other_name_at(text, at, end)
            if found is not None:
                yield found
                position = found[1]

    def _other_name_at(self, text: str, at: int, end: int) -> tuple[int, int, str] | None:
        match = self._others.match(text, at, end) if self._others is not None else None
        return (at, match.end(), match.group(1)) if match is not None else None

    def _name_at(self, text: str, at: int, word: str, end: int) -> tuple[int, int, str] | None:
        candidates = self._by_first_word.get(word, [])  # the name this word is, or longer ones it begins
        if word.endswith("s") and word[:-1] in self._by_first_word.get(word[:-1], ()):
            candidates = [*candidates, word[:-1]]  # "Putins": the genitive of a one-word name
        for name in candidates:
            if not text.startswith(name, at, end):
                continue
            after = at + len(name)
            if after < end and text[after] == "s" and not _word_char_or_hyphen(text, after + 1, end):
                return at, after + 1, name
            if not _word_char_or_hyphen(text, after, end):
                return at, after, name
        return None


def _word_char_or_hyphen(text: str, at: int, end: int) -> bool:
    return at < end and _WORD_CHAR_OR_HYPHEN.match(text, at, at + 1) is not None
