"""The language stage over a batch of documents: sentences, then entities with canonical names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textlake.canonical import canonical_names
from textlake.entities import EntityRecognizer
from textlake.prepare import PreparedDocument
from textlake.segment import SentenceSpan, segment_sentences


@dataclass(frozen=True)
class EntitySpan:
    start: int  # code points into the document
    end: int
    text: str
    label: str
    canonical: str
    sentence: int  # ordinal of the sentence that holds it


@dataclass(frozen=True)
class AnalysedDocument:
    document: PreparedDocument
    sentences: list[SentenceSpan]
    entities: list[EntitySpan]
    model: str | None  # None when NER did not run (language not served)


def analyse_documents(
    documents: Sequence[PreparedDocument],
    recognizer: EntityRecognizer | None,
    ner_languages: Sequence[str] = ("de",),
) -> list[AnalysedDocument]:
    """Segment every document; run NER over the sentences of those in `ner_languages`, in one pass."""
    segmented = [segment_sentences(doc.text) for doc in documents]
    wants_ner = [recognizer is not None and doc.language in ner_languages for doc in documents]
    sentence_texts = [
        doc.text[span.start : span.end]
        for doc, spans, wanted in zip(documents, segmented, wants_ner)
        if wanted
        for span in spans
    ]
    mentions = iter(recognizer.recognise(sentence_texts) if sentence_texts else [])
    analysed: list[AnalysedDocument] = []
    for doc, spans, wanted in zip(documents, segmented, wants_ner):
        found: list[tuple[int, SentenceSpan, object]] = []
        if wanted:
            for ordinal, span in enumerate(spans):
                found.extend((ordinal, span, mention) for mention in next(mentions))
        names = canonical_names([(m.text, m.label) for _, _, m in found], recognizer.known_names if recognizer else ())
        entities = [
            EntitySpan(span.start + m.start, span.start + m.end, m.text, m.label, name, ordinal)
            for (ordinal, span, m), name in zip(found, names)
        ]
        analysed.append(AnalysedDocument(doc, spans, entities, recognizer.name if wanted else None))
    return analysed
