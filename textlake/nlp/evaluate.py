"""Quality measures against gold data: sentence boundaries (Wikinews JSONL) and NER (GermEval TSV)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from textlake.nlp.entities import EntityRecognizer
from textlake.nlp.segment import SentenceSpan, segment_sentences, trim_span


@dataclass(frozen=True)
class Scores:
    true_positives: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class SentenceEvaluation:
    boundaries: Scores
    exact_sentences: int
    gold_sentences: int
    chars: int
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (doc id, kind, context)

    @property
    def exact_share(self) -> float:
        return self.exact_sentences / self.gold_sentences if self.gold_sentences else 0.0


@dataclass(frozen=True)
class GoldText:
    id: str
    text: str
    sentences: list[tuple[int, int]]


def read_sentence_gold(path: Path) -> list[GoldText]:
    """Wikinews-style JSONL: one object a line with `id`, `text` and `sentences` as [start, end) spans."""
    with open(path, encoding="utf-8") as lines:
        return [
            GoldText(str(record.get("id", number)), record["text"], [tuple(span) for span in record["sentences"]])
            for number, record in enumerate(map(json.loads, filter(str.strip, lines)))
        ]


def evaluate_sentences(
    gold: Iterable[GoldText],
    segmenter: Callable[[str], list[SentenceSpan]] = segment_sentences,
    keep_errors: int = 0,
) -> SentenceEvaluation:
    """Boundaries are the start offsets of every sentence but a text's first, after trimming whitespace."""
    tp = predicted_n = gold_n = exact = gold_sentences = chars = 0
    errors: list[tuple[str, str, str]] = []
    for item in gold:
        gold_spans = {trim_span(item.text, s, e) for s, e in item.sentences}
        gold_spans.discard(next((span for span in gold_spans if span[0] == span[1]), None))
        predicted_spans = {(s.start, s.end) for s in segmenter(item.text)}
        gold_starts = {s for s, _ in gold_spans} - {min((s for s, _ in gold_spans), default=0)}
        predicted_starts = {s for s, _ in predicted_spans} - {min((s for s, _ in predicted_spans), default=0)}
        tp += len(gold_starts & predicted_starts)
        predicted_n += len(predicted_starts)
        gold_n += len(gold_starts)
        exact += len(gold_spans & predicted_spans)
        gold_sentences += len(gold_spans)
        chars += len(item.text)
        for kind, offsets in (("missed", gold_starts - predicted_starts), ("spurious", predicted_starts - gold_starts)):
            for offset in sorted(offsets):
                if len(errors) < keep_errors:
                    context = item.text[max(0, offset - 60) : offset] + " ‖ " + item.text[offset : offset + 40]
                    errors.append((item.id, kind, context.replace("\n", "⏎")))
    return SentenceEvaluation(Scores(tp, predicted_n, gold_n), exact, gold_sentences, chars, errors)


@dataclass
class NerEvaluation:
    overall: Scores
    per_label: dict[str, Scores]
    sentences: int
    words: int
    seconds: float

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0


def evaluate_ner(gold_path: Path, recognizer: EntityRecognizer, limit: int | None = None) -> NerEvaluation:
    """Exact-span entity scores over GermEval TSV (outer spans, -deriv/-part as O, OTH as MISC).
    Sentences are the gold tokens joined by single spaces; the recognizer sees one sentence at a time."""
    import time

    from textlake.nlp.ner.germeval import read_germeval

    gold_sentences = list(read_germeval(gold_path))[:limit]
    texts, gold_spans = [], []
    for sentence in gold_sentences:
        starts, position = [], 0
        for token in sentence.tokens:
            starts.append(position)
            position += len(token) + 1
        texts.append(" ".join(sentence.tokens))
        gold_spans.append(
            {(starts[a], starts[b - 1] + len(sentence.tokens[b - 1]), label) for a, b, label in sentence.spans()}
        )
    started = time.perf_counter()
    predicted = recognizer.recognise(texts)
    seconds = time.perf_counter() - started
    counts: dict[str, list[int]] = {}
    for gold, mentions in zip(gold_spans, predicted, strict=True):
        found = {(m.start, m.end, m.label) for m in mentions}
        for label in {span[2] for span in gold | found}:
            tp_p_g = counts.setdefault(label, [0, 0, 0])
            tp_p_g[0] += len({s for s in gold & found if s[2] == label})
            tp_p_g[1] += len({s for s in found if s[2] == label})
            tp_p_g[2] += len({s for s in gold if s[2] == label})
    per_label = {label: Scores(*values) for label, values in sorted(counts.items())}
    overall = Scores(*(sum(v[i] for v in counts.values()) for i in range(3)))
    words = sum(len(s.tokens) for s in gold_sentences)
    return NerEvaluation(overall, per_label, len(gold_sentences), words, seconds)
