"""Calibrating the confidence of entity mentions and quotations (`textlake.nlp.confidence`) on gold data,
and measuring how well a calibration holds on other gold data (`textlake eval confidence`).

    python -m textlake.training.confidence   # make model runs it, after the NER model is built

Entities: documents of two NER corpora the shipped model never trained on (CoNLL-2003 German test, 155
documents; Universal NER German PUD, 397), each run through the language stage as one document (document
consistency and the label vote need documents), a mention right when gold has exactly its span and label
(PER, LOC, ORG; MISC too where the corpus marks it). Quotations: Wikinews dev, a quotation right when it
matches a gold quotation as `textlake eval quotes` matches them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from textlake.ingest.prepare import PreparedDocument
from textlake.nlp.analyse import AnalysedDocument, analyse_documents
from textlake.nlp.confidence import (
    ENTITY_TABLE,
    PRIOR_WEIGHT,
    QUOTATION_TABLE,
    entity_bucket,
    quotation_bucket,
    shrunk_buckets,
    write_table,
)
from textlake.nlp.entities import Recognizer
from textlake.training.evaluate import matching_pairs, read_quotation_gold
from textlake.training.ner.corpora import LABELS, NO_MISC, PLAIN_LABELS, read_columns, repair_umlauts
from textlake.training.ner.germeval import GoldSentence

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
# Held-out NER documents, under ../shared/data.
ENTITY_GOLD = ("ner/conll2003-de/test.conllu", "ner/uner-de-pud/de_pud-ud-test.iob2")
QUOTATION_GOLD = "wikinews/dev.jsonl"


@dataclass(frozen=True)
class GoldDocument:
    id: str
    text: str  # the gold tokens joined by spaces, a sentence a line
    entities: frozenset[tuple[int, int, str]]  # (start, end, label), code points into text
    labels: frozenset[str]  # the labels the corpus marks: a predicted mention of another is not judged


def read_entity_documents(path: Path) -> list[GoldDocument]:
    """CoNLL-style NER gold cut into documents: at `-DOCSTART-` lines (CoNLL-2003 `.conllu`, whose umlauts
    this copy needs repaired; PER, LOC, ORG, MISC) or `# newdoc` comments (Universal NER `.iob2`: PER,
    LOC, ORG)."""
    conll = path.suffix == ".conllu"
    labels = LABELS if conll else NO_MISC
    marker = "-DOCSTART-" if conll else "# newdoc"
    documents: list[GoldDocument] = []
    for number, lines in enumerate(_chunks(path, marker)):
        sentences = [
            GoldSentence(tokens, tags)
            for tokens, tags in read_columns(lines, 1, 2, PLAIN_LABELS, repair_umlauts if conll else str)
        ]
        if sentences:
            text, spans = _joined(sentences)
            documents.append(GoldDocument(f"{path.stem}-{number}", text, frozenset(spans), labels))
    return documents


def _chunks(path: Path, marker: str) -> Iterator[list[str]]:
    chunk: list[str] = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if marker in line:
                yield chunk
                chunk = []
            else:
                chunk.append(line)
    yield chunk


def _joined(sentences: Iterable[GoldSentence]) -> tuple[str, list[tuple[int, int, str]]]:
    lines, spans, position = [], [], 0
    for sentence in sentences:
        starts = []
        for token in sentence.tokens:
            starts.append(position)
            position += len(token) + 1  # a space after each token, a line break after the last
        spans += [(starts[a], starts[b - 1] + len(sentence.tokens[b - 1]), label) for a, b, label in sentence.spans()]
        lines.append(" ".join(sentence.tokens))
    return "\n".join(lines), spans


def _analysed(texts: list[tuple[str, str]], recognizer: Recognizer, quotations: bool) -> list[AnalysedDocument]:
    documents = [
        PreparedDocument(id, "gold", "", len(text.encode()), "utf-8", None, None, None, "de", 1.0, text)
        for id, text in texts
    ]
    return analyse_documents(documents, recognizer, with_quotations=quotations)


@dataclass(frozen=True)
class Judged:
    """A mention or quotation found in gold data: its bucket, and whether gold confirms it."""

    bucket: tuple[str, str]
    right: bool


def judged_mentions(documents: list[GoldDocument], recognizer: Recognizer) -> list[Judged]:
    analysed = _analysed([(d.id, d.text) for d in documents], recognizer, quotations=False)
    return [
        Judged(entity_bucket(e.found_by, e.label, e.relabelled), (e.start, e.end, e.label) in gold.entities)
        for gold, a in zip(documents, analysed, strict=True)
        for e in a.entities
        if e.label in gold.labels
    ]


def judged_quotations(gold_path: Path, recognizer: Recognizer) -> list[Judged]:
    articles = read_quotation_gold(gold_path)
    analysed = _analysed([(a.id, a.text) for a in articles], recognizer, quotations=True)
    judged = []
    for article, a in zip(articles, analysed, strict=True):
        matched = {i for i, _ in matching_pairs(article.text, [q.parts for q in a.quotations],
                                                [g.parts for g in article.quotations])}  # fmt: skip
        for i, q in enumerate(a.quotations):
            bucket = quotation_bucket(q.kind, q.speaker is not None, q.speaker_name is not None)
            judged.append(Judged(bucket, i in matched))
    return judged


def counts_of(judged: Iterable[Judged]) -> dict[tuple[str, str], tuple[int, int]]:
    counts: dict[tuple[str, str], tuple[int, int]] = {}
    for item in judged:
        n, right = counts.get(item.bucket, (0, 0))
        counts[item.bucket] = (n + 1, right + item.right)
    return counts


@dataclass(frozen=True)
class Level:
    confidence: float
    members: int
    right: int

    @property
    def share(self) -> float:
        return self.right / self.members if self.members else 0.0


def reliability(judged: Iterable[Judged], confidence_of: Callable[[tuple[str, str]], float]) -> list[Level]:
    """Per confidence value the tables give: how many items had it, and how many of them were right."""
    levels: dict[float, tuple[int, int]] = {}
    for item in judged:
        confidence = confidence_of(item.bucket)
        n, right = levels.get(confidence, (0, 0))
        levels[confidence] = (n + 1, right + item.right)
    return [Level(c, n, right) for c, (n, right) in sorted(levels.items(), reverse=True)]


def calibration_gap(levels: list[Level]) -> float:
    """The members-weighted mean of |confidence − share right| (expected calibration error): 0 when every
    level's share is what it promises."""
    total = sum(level.members for level in levels)
    return sum(level.members * abs(level.confidence - level.share) for level in levels) / total if total else 0.0


ENTITY_HEADER = """\
How sure textlake is of an entity mention (entities.confidence): the share of the mentions in its bucket
whose exact span and label held-out gold confirms. Bucket: what found the mention (model: the network;
list, first_name: the gazetteer's listed names and first-name rule, +model where the network found the same
span and label; given_name: the network's surname extended to the given name before it, or its given name
to the double surname after it; repeated: document
consistency; relabelled: the document's vote changed its label) and its label; '*' is the wider bucket a
small one is pulled towards, and the fallback for a bucket not listed.
Gold: {gold},
each document through the language stage. confidence = (right + {weight} x wider) / (members + {weight}).
Written by `python -m textlake.training.confidence` (make model); do not edit by hand."""

QUOTATION_HEADER = """\
How sure textlake is of a quotation (quotes.confidence): the share of the quotations in its bucket that
match a gold quotation (lenient matching, as `textlake eval quotes`). Bucket: the quotation's kind and its
speaker (named: speaker_canonical set; unnamed: a speaker mention that names nobody; none: no speaker);
'*' is the wider bucket a small one is pulled towards, and the fallback for a bucket not listed.
Gold: {gold}. confidence = (right + {weight} x wider) / (members + {weight}).
Written by `python -m textlake.training.confidence` (make model); do not edit by hand."""


def calibrate(data: Path, recognizer: Recognizer) -> tuple[int, int]:
    """Write both tables from the gold data under `data` (../shared/data); returns their buckets."""
    mentions: list[Judged] = []
    for path in ENTITY_GOLD:
        mentions += judged_mentions(read_entity_documents(data / path), recognizer)
    entity_buckets = shrunk_buckets(counts_of(mentions))
    gold = " and ".join(ENTITY_GOLD)
    write_table(ENTITY_TABLE, ENTITY_HEADER.format(gold=gold, weight=PRIOR_WEIGHT), ("found_by", "label"),
                entity_buckets)  # fmt: skip
    quotation_buckets = shrunk_buckets(counts_of(judged_quotations(data / QUOTATION_GOLD, recognizer)))
    write_table(QUOTATION_TABLE, QUOTATION_HEADER.format(gold=QUOTATION_GOLD, weight=PRIOR_WEIGHT),
                ("kind", "speaker"), quotation_buckets)  # fmt: skip
    _forget_tables()
    return len(entity_buckets), len(quotation_buckets)


def _forget_tables() -> None:
    from textlake.nlp import confidence

    confidence._entity_table.cache_clear()
    confidence._quotation_table.cache_clear()


def main() -> None:
    from textlake.nlp.entities import load_recognizer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED_DATA, help="../shared/data")
    args = parser.parse_args()
    entities, quotations = calibrate(args.data, load_recognizer("default", 20_000))
    print(f"wrote {ENTITY_TABLE} ({entities} buckets) and {QUOTATION_TABLE} ({quotations} buckets)")


if __name__ == "__main__":
    main()
