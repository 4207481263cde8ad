"""The language stage over a batch of documents: sentences, then entities with canonical names, then
quotations with their speakers."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from textlake.ingest.prepare import PreparedDocument
from textlake.nlp.canonical import canonical_names
from textlake.nlp.entities import EntityRecognizer, Mention
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
    recognizer: EntityRecognizer | None,
    ner_languages: Sequence[str] = ("de",),
    with_quotations: bool = True,
) -> list[AnalysedDocument]:
    """Segment every document; run NER over the sentences of those in `ner_languages`, in one pass; then
    find the quotations of German documents (unless `with_quotations` is off: the quotation model's
    training reads sentences and entities alone)."""
    segmented = [segment_sentences(doc.text) for doc in documents]
    wants_ner = [recognizer is not None and doc.language in ner_languages for doc in documents]
    sentence_texts = [
        doc.text[span.start : span.end]
        for doc, spans, wanted in zip(documents, segmented, wants_ner, strict=True)
        if wanted
        for span in spans
    ]
    mentions = iter(recognizer.recognise(sentence_texts) if recognizer and sentence_texts else [])
    analysed: list[AnalysedDocument] = []
    for doc, spans, wanted in zip(documents, segmented, wants_ner, strict=True):
        found: list[tuple[int, SentenceSpan, Mention]] = []
        if wanted:
            for ordinal, span in enumerate(spans):
                found.extend((ordinal, span, mention) for mention in next(mentions))
        found += [(o, s, replace(m, found_by="repeated")) for o, s, m in _repeat_mentions(doc.text, spans, found)]
        found.sort(key=lambda item: item[1].start + item[2].start)
        found = clubs_not_places(doc.text, found)
        names = canonical_names([(m.text, m.label) for _, _, m in found], recognizer.known_names if recognizer else ())
        names = region_names(doc.text, found, names, region_keys())
        labels = one_label_per_name([(name, m.label) for (_, _, m), name in zip(found, names, strict=True)])
        entities = [
            EntitySpan(
                span.start + m.start, span.start + m.end, m.text, label, name, ordinal, m.found_by, label != m.label
            )
            for (ordinal, span, m), name, label in zip(found, names, labels, strict=True)
        ]
        quoting = with_quotations and doc.language in QUOTATION_LANGUAGES
        quotations = find_quotations(doc.text, spans, entities) if quoting else []
        model = recognizer.name if recognizer and wanted else None
        analysed.append(AnalysedDocument(doc, spans, entities, model, quotations))
    return analysed


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
    pattern = re.compile(
        r"(?<![\w-])(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")s?(?![\w-])"
    )
    taken = [(span.start + m.start, span.start + m.end) for _, span, m in found]
    untagged: dict[str, list[tuple[int, SentenceSpan, Mention]]] = {}
    for ordinal, span in enumerate(spans):
        for match in pattern.finditer(text, span.start, span.end):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            name = match.group(1)
            mention = Mention(start - span.start, end - span.start, match.group(0), names[name])
            untagged.setdefault(name, []).append((ordinal, span, mention))
    return [
        mention
        for name, mentions in untagged.items()
        if name in surnames or tagged[name] >= MIN_TAGGED_SHARE * (tagged[name] + len(mentions))
        for mention in mentions
    ]
