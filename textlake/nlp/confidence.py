"""Confidence: how far to trust an entity mention or a quotation, as the share of its kind that was right.

Neither the NER network (greedy transition-based: no score per entity) nor the quotation rules give a
probability, so a mention or quotation is put in a bucket by how it was found, and its confidence is the
share of the bucket's members that held-out gold confirms:

- an entity mention by what found it (`Mention.found_by`: the network, a listed name or the first-name rule
  of the gazetteer, each with or without the network agreeing, the network's surname extended to its given
  name, or document consistency; a mention whose label the document's vote changed is `relabelled`) and its label: the share with exactly that span and label in
  gold NER documents the model never trained on (CoNLL-2003 German test, Universal NER German PUD);
- a quotation by its kind and its speaker (`named`: speaker_canonical set; `unnamed`: a speaker mention that
  names nobody; `none`): the share that matches a gold quotation of Wikinews dev (lenient matching, as
  `textlake eval quotes`).

A small bucket is pulled towards its wider one (label → how found → all; speaker → kind → all) by
`PRIOR_WEIGHT` imagined members. The tables are data (`models/entity_confidence.tsv`,
`models/quotation_confidence.tsv`), written by `python -m textlake.training.confidence` (`make model`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MODELS = Path(__file__).resolve().parent / "models"
ENTITY_TABLE = MODELS / "entity_confidence.tsv"
QUOTATION_TABLE = MODELS / "quotation_confidence.tsv"
ANY = "*"  # a table row for any value of its column: the wider bucket
PRIOR_WEIGHT = 10  # imagined members of the wider bucket added to a bucket's count


@dataclass(frozen=True)
class Bucket:
    key: tuple[str, str]  # (found_by, label) or (kind, speaker); ANY for the wider buckets
    members: int  # mentions or quotations in the gold data that fell in it
    right: int  # of those, the ones gold confirms
    confidence: float  # right / members, pulled towards the wider bucket


def read_table(path: Path) -> dict[tuple[str, str], Bucket]:
    """A confidence table: '#' lines say what it holds, then a header and one row per bucket."""
    with open(path, encoding="utf-8") as file:
        rows = csv.reader((line for line in file if not line.startswith("#")), delimiter="\t")
        next(rows)  # the header
        return {(a, b): Bucket((a, b), int(n), int(right), float(c)) for a, b, n, right, c in rows}


@cache
def _entity_table() -> dict[tuple[str, str], Bucket]:
    return read_table(ENTITY_TABLE)


@cache
def _quotation_table() -> dict[tuple[str, str], Bucket]:
    return read_table(QUOTATION_TABLE)


def _looked_up(table: dict[tuple[str, str], Bucket], first: str, second: str) -> float:
    for key in ((first, second), (first, ANY), (ANY, ANY)):
        if key in table:
            return table[key].confidence
    raise KeyError(f"the confidence table has no row for {first}/{second} and no '{ANY}' row")


def entity_bucket(found_by: str, label: str, relabelled: bool) -> tuple[str, str]:
    return ("relabelled" if relabelled else found_by, label)


def entity_bucket_confidence(bucket: tuple[str, str]) -> float:
    return _looked_up(_entity_table(), *bucket)


def mention_confidence(found_by: str, label: str, relabelled: bool = False) -> float:
    """High for a person the network and the first-name rule agree on ("Angela Merkel"), lower for a
    person the network found alone, lower still for a name repeated by document consistency or relabelled."""
    return entity_bucket_confidence(entity_bucket(found_by, label, relabelled))


def quotation_bucket(kind: str, speaker_mentioned: bool, speaker_named: bool) -> tuple[str, str]:
    return (kind, "named" if speaker_named else "unnamed" if speaker_mentioned else "none")


def quotation_bucket_confidence(bucket: tuple[str, str]) -> float:
    return _looked_up(_quotation_table(), *bucket)


def quotation_confidence(kind: str, speaker_mentioned: bool, speaker_named: bool) -> float:
    """Direct speech with a named speaker is nearly always a quotation of the gold data; a reported
    statement ("Er kritisierte den Plan") about half the time."""
    return quotation_bucket_confidence(quotation_bucket(kind, speaker_mentioned, speaker_named))


def write_table(path: Path, header: str, columns: tuple[str, str], buckets: list[Bucket]) -> None:
    """Write a confidence table: `header` as '#' lines, then the rows, wider buckets last."""
    lines = [f"# {line}".rstrip() for line in header.strip().splitlines()]
    lines.append("\t".join([*columns, "members", "right", "confidence"]))
    for bucket in sorted(buckets, key=lambda b: (b.key[0] == ANY, b.key[0], b.key[1] == ANY, b.key[1])):
        lines.append("\t".join([*bucket.key, str(bucket.members), str(bucket.right), f"{bucket.confidence:.3f}"]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def shrunk_buckets(counts: dict[tuple[str, str], tuple[int, int]]) -> list[Bucket]:
    """Buckets from (members, right) per key: each share pulled towards its wider bucket's by
    PRIOR_WEIGHT imagined members (overall ← first column ← both), so a bucket of 3 members says little
    more than its wider one and a bucket of 300 what it measured."""
    overall_n = sum(n for n, _ in counts.values())
    overall_right = sum(r for _, r in counts.values())
    overall = overall_right / overall_n if overall_n else 0.0
    buckets = [Bucket((ANY, ANY), overall_n, overall_right, round(overall, 3))]
    firsts: dict[str, tuple[int, int]] = {}
    for (first, _), (n, right) in counts.items():
        total_n, total_right = firsts.get(first, (0, 0))
        firsts[first] = (total_n + n, total_right + right)
    wider: dict[str, float] = {}
    for first, (n, right) in firsts.items():
        wider[first] = (right + PRIOR_WEIGHT * overall) / (n + PRIOR_WEIGHT)
        buckets.append(Bucket((first, ANY), n, right, round(wider[first], 3)))
    for (first, second), (n, right) in counts.items():
        share = (right + PRIOR_WEIGHT * wider[first]) / (n + PRIOR_WEIGHT)
        buckets.append(Bucket((first, second), n, right, round(share, 3)))
    return buckets
