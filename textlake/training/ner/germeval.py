"""Read GermEval 2014 NER gold (TSV) into token lists with BIO tags in textlake's label scheme.

Evaluation protocol: the *outer* column only; ``-deriv`` and ``-part`` variants count as ``O``
(news analytics wants "Belarus", not "belarussischen"); GermEval's ``OTH`` becomes ``MISC``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

GERMEVAL_TO_TEXTLAKE = {"PER": "PER", "LOC": "LOC", "ORG": "ORG", "OTH": "MISC"}


@dataclass(frozen=True)
class GoldSentence:
    tokens: list[str]
    tags: list[str]  # BIO over PER, LOC, ORG, MISC

    def spans(self) -> list[tuple[int, int, str]]:
        """Entity spans as (first token, last token + 1, label)."""
        spans: list[tuple[int, int, str]] = []
        start: int | None = None
        label = ""
        for i, tag in enumerate([*self.tags, "O"]):
            if start is not None and not tag.startswith("I-") or (tag.startswith("I-") and tag[2:] != label):
                if start is not None:
                    spans.append((start, i, label))
                start, label = None, ""
            if tag.startswith("B-") or (tag.startswith("I-") and start is None):
                start, label = i, tag[2:]
        return spans


def map_tag(tag: str) -> str:
    """GermEval outer tag → textlake BIO tag (``B-LOCderiv`` → ``O``, ``I-OTH`` → ``I-MISC``)."""
    if tag == "O" or "-" not in tag:
        return "O"
    prefix, label = tag.split("-", 1)
    if label not in GERMEVAL_TO_TEXTLAKE:
        return "O"
    return f"{prefix}-{GERMEVAL_TO_TEXTLAKE[label]}"


def read_germeval(path: Path) -> Iterator[GoldSentence]:
    tokens: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if line.startswith("#"):
                continue
            if not line.strip():
                if tokens:
                    yield GoldSentence(tokens, tags)
                tokens, tags = [], []
                continue
            fields = line.split("\t")
            tokens.append(fields[1])
            tags.append(map_tag(fields[2]))
    if tokens:
        yield GoldSentence(tokens, tags)
