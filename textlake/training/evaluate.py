"""Quality measures against gold data: sentence boundaries (Wikinews JSONL) and NER (GermEval TSV)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from textlake.nlp.entities import Recognizer
from textlake.nlp.quotes import KINDS
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


def evaluate_ner(gold_path: Path, recognizer: Recognizer, limit: int | None = None) -> NerEvaluation:
    """Exact-span entity scores over GermEval TSV (outer spans, -deriv/-part as O, OTH as MISC) or over
    Universal NER's `.iob2` (PER, LOC and ORG only: a predicted MISC there is neither right nor wrong).
    Sentences are the gold tokens joined by single spaces; the recognizer sees one sentence at a time."""
    import time

    from textlake.training.ner.corpora import LABELS, NO_MISC, read_uner
    from textlake.training.ner.germeval import read_germeval

    if gold_path.suffix == ".iob2":
        gold_sentences, labels = list(read_uner(gold_path))[:limit], NO_MISC
    else:
        gold_sentences, labels = list(read_germeval(gold_path))[:limit], LABELS
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
        found = {(m.start, m.end, m.label) for m in mentions if m.label in labels}
        for label in {span[2] for span in gold | found}:
            tp_p_g = counts.setdefault(label, [0, 0, 0])
            tp_p_g[0] += len({s for s in gold & found if s[2] == label})
            tp_p_g[1] += len({s for s in found if s[2] == label})
            tp_p_g[2] += len({s for s in gold if s[2] == label})
    per_label = {label: Scores(*values) for label, values in sorted(counts.items())}
    overall = Scores(*(sum(v[i] for v in counts.values()) for i in range(3)))
    words = sum(len(s.tokens) for s in gold_sentences)
    return NerEvaluation(overall, per_label, len(gold_sentences), words, seconds)


# Quotations -------------------------------------------------------------------------------------------------

# The gold data's quotation types, in the order of textlake's kinds.
GOLD_KINDS = dict(zip(("Direct", "Indirect", "FreeIndirect", "IndirectFreeIndirect", "Reported"), KINDS, strict=True))


@dataclass(frozen=True)
class GoldQuotation:
    parts: tuple[tuple[int, int], ...]
    kind: str
    cue: tuple[tuple[int, int], ...]
    speaker: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class GoldArticle:
    id: str
    text: str
    quotations: list[GoldQuotation]


def read_quotation_gold(path: Path) -> list[GoldArticle]:
    """Wikinews-style JSONL with `quotes`: each a `type` and role spans (`quote`, `cue`, `speaker`)."""

    def spans(value: list[list[int]] | None) -> tuple[tuple[int, int], ...]:
        return tuple(sorted((int(s), int(e)) for s, e in value or [] if e > s))

    with open(path, encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    return [
        GoldArticle(
            str(record.get("id", number)),
            record["text"],
            [
                GoldQuotation(
                    spans(q["quote"]),
                    GOLD_KINDS.get(q["type"], q["type"]),
                    spans(q.get("cue")),
                    spans(q.get("speaker")),
                )
                for q in record.get("quotes", [])
                if spans(q["quote"])
            ],
        )
        for number, record in enumerate(records)
    ]


@dataclass(frozen=True)
class PredictedQuotation:
    parts: tuple[tuple[int, int], ...]
    kind: str
    cue: tuple[int, int] | None
    speaker: tuple[int, int] | None
    speaker_name: str | None = None  # what the run writes as `speaker_canonical`


@dataclass
class QuotationEvaluation:
    lenient: Scores
    per_kind: dict[str, Scores]  # lenient, a gold kind against the same predicted kind
    exact: Scores
    cue: Scores
    speakers_right: int
    speakers_gold: int  # matched gold quotations that name a speaker
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (article id, kind of error, text)

    @property
    def direct(self) -> Scores:
        return self.per_kind["direct"]

    @property
    def speaker_accuracy(self) -> float:
        return self.speakers_right / self.speakers_gold if self.speakers_gold else 0.0


def _solid(text: str, parts: Iterable[tuple[int, int]]) -> set[int]:
    """The offsets of the non-whitespace characters of the parts: what lenient matching counts."""
    return {i for start, end in parts for i in range(start, end) if not text[i].isspace()}


def matching_pairs(
    text: str,
    predicted: list[tuple[tuple[int, int], ...]],
    gold: list[tuple[tuple[int, int], ...]],
    agree: Callable[[int, int], bool] | None = None,
) -> list[tuple[int, int]]:
    """Pairs (predicted index, gold index), one to one, best overlap first, where the overlap is at least
    half of the longer of the two (in non-whitespace characters). Among pairs of equal overlap, those that
    `agree` (predicted index, gold index) come first: two rows of one text (a medium quoting a person, as
    the gold has them too) are matched by who speaks, not by their order."""
    solid_p = [_solid(text, p) for p in predicted]
    solid_g = [_solid(text, g) for g in gold]
    candidates = []
    for i, p in enumerate(solid_p):
        for j, g in enumerate(solid_g):
            overlap = len(p & g)
            if overlap and 2 * overlap >= max(len(p), len(g)):
                candidates.append((overlap, agree is not None and agree(i, j), i, j))
    pairs, used_p, used_g = [], set(), set()
    for _, _, i, j in sorted(candidates, reverse=True):
        if i not in used_p and j not in used_g:
            pairs.append((i, j))
            used_p.add(i)
            used_g.add(j)
    return pairs


def evaluate_quotations(
    gold: Iterable[GoldArticle],
    predict: Callable[[str], list[PredictedQuotation]],
    keep_errors: int = 0,
) -> QuotationEvaluation:
    """Lenient quotation P/R/F1 (overall, per kind, direct alone), exact-boundary F1 (the cover of the
    parts, equal), cue F1 (a predicted cue overlapping a gold cue) and speaker accuracy (matched gold
    quotations with a speaker whose predicted speaker mention overlaps one of the gold ones)."""
    totals: dict[str, list[int]] = {}
    errors: list[tuple[str, str, str]] = []
    right = named = 0

    def add(key: str, tp: int, predicted_n: int, gold_n: int) -> None:
        counts = totals.setdefault(key, [0, 0, 0])
        counts[0] += tp
        counts[1] += predicted_n
        counts[2] += gold_n

    for article in gold:
        text = article.text
        predicted = predict(text)
        pairs = matching_pairs(text, [p.parts for p in predicted], [g.parts for g in article.quotations])
        add("all", len(pairs), len(predicted), len(article.quotations))
        for kind in {p.kind for p in predicted} | {g.kind for g in article.quotations}:
            kind_p = [p for p in predicted if p.kind == kind]
            kind_g = [g for g in article.quotations if g.kind == kind]
            add(
                kind,
                len(matching_pairs(text, [p.parts for p in kind_p], [g.parts for g in kind_g])),
                len(kind_p),
                len(kind_g),
            )
        covers_p = {(p.parts[0][0], p.parts[-1][1]) for p in predicted}
        covers_g = {(g.parts[0][0], g.parts[-1][1]) for g in article.quotations}
        add("exact", len(covers_p & covers_g), len(covers_p), len(covers_g))
        cues_p = {p.cue for p in predicted if p.cue}
        cues_g = {c for g in article.quotations for c in g.cue}
        add("cue", sum(any(s < ge and gs < e for gs, ge in cues_g) for s, e in cues_p), len(cues_p), len(cues_g))
        for i, j in pairs:
            speakers = article.quotations[j].speaker
            if speakers:
                named += 1
                mention = predicted[i].speaker
                right += bool(mention and any(mention[0] < e and s < mention[1] for s, e in speakers))
        matched_p, matched_g = {i for i, _ in pairs}, {j for _, j in pairs}
        unmatched: list[tuple[str, GoldQuotation | PredictedQuotation]] = [
            *(("missed", g) for j, g in enumerate(article.quotations) if j not in matched_g),
            *(("spurious", p) for i, p in enumerate(predicted) if i not in matched_p),
        ]
        for label, item in unmatched[: max(0, keep_errors - len(errors))]:
            quoted = " … ".join(text[s:e] for s, e in item.parts).replace("\n", "⏎")
            errors.append((article.id, f"{label} {item.kind}", quoted))

    def scores(key: str) -> Scores:
        return Scores(*totals.get(key, [0, 0, 0]))

    per_kind = {kind: scores(kind) for kind in KINDS}
    return QuotationEvaluation(scores("all"), per_kind, scores("exact"), scores("cue"), right, named, errors)


def quotations_by_the_pipeline(
    recognizer: Recognizer | None,
) -> Callable[[str], list[PredictedQuotation]]:
    """What the language stage finds in a German text: sentences, entities, then quotations."""
    from textlake.ingest.prepare import PreparedDocument
    from textlake.nlp.analyse import analyse_documents

    def predict(text: str) -> list[PredictedQuotation]:
        document = PreparedDocument("gold", "gold", "", len(text.encode()), "utf-8", None, None, None, "de", 1.0, text)
        (analysed,) = analyse_documents([document], recognizer)
        return [PredictedQuotation(q.parts, q.kind, q.cue, q.speaker, q.speaker_name) for q in analysed.quotations]

    return predict
