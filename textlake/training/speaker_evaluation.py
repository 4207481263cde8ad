"""Who said it, measured: the speaker's name a run writes (`quotes.speaker_canonical`) against a reader's
label of whom each gold quotation's speaker refers to.

Labels are JSON Lines, one per gold quotation: `article`, `quote` (index into the article's gold `quotes`),
`quote_start` (a check that the labels fit the gold file), `referent` (the named person or organisation
the text says spoke, or null when it names nobody), `label` (PER, ORG or null) and `also` (other forms of
an organisation's name that are the same organisation)."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from textlake.training.evaluate import GoldArticle, GoldQuotation, PredictedQuotation, matching_pairs


@dataclass(frozen=True)
class SpeakerLabel:
    article: str
    quote: int
    quote_start: int
    referent: str | None
    label: str | None
    also: tuple[str, ...] = ()


def read_speaker_labels(path: Path) -> list[SpeakerLabel]:
    """The labels of `path`; ValueError naming the line when one is not a label."""
    labels = []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
                labels.append(
                    SpeakerLabel(
                        str(r["article"]), int(r["quote"]), int(r["quote_start"]), r["referent"] or None,
                        r["label"] or None, tuple(r.get("also") or ()),
                    )
                )  # fmt: skip
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(
                    f"{path}, line {number}: not a speaker label ({type(error).__name__}: {error})"
                ) from None
    return labels


_ARTICLE = re.compile(r"^(der|die|das|des|dem|den|ein|eine|eines|einer|einem|einen)\s+", re.IGNORECASE)


def organisation_key(name: str) -> str:
    """An organisation's name as an analyst compares it: case, a leading article and spacing aside."""
    return _ARTICLE.sub("", " ".join(name.split())).casefold()


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 0.0

    def add(self, right: bool) -> None:
        self.right += right
        self.total += 1


@dataclass
class SpeakerEvaluation:
    persons: Tally = field(default_factory=Tally)  # the full name, exactly
    organisations: Tally = field(default_factory=Tally)  # the name or one of its other forms
    unnamed: Tally = field(default_factory=Tally)  # the text names nobody: NULL is right
    unmatched: int = 0  # labelled gold quotations the run did not find (not scored)
    errors: list[tuple[str, str, str, str]] = field(default_factory=list)  # article, kind, expected, found

    @property
    def named(self) -> Tally:
        return Tally(self.persons.right + self.organisations.right, self.persons.total + self.organisations.total)


def _same_speaker(predicted: Sequence[PredictedQuotation], gold: Sequence[GoldQuotation], i: int, j: int) -> bool:
    """Whether predicted quotation i's speaker mention overlaps one of gold quotation j's."""
    speaker = predicted[i].speaker
    return speaker is not None and any(start < speaker[1] and speaker[0] < end for start, end in gold[j].speaker)


def evaluate_speakers(
    gold: Iterable[GoldArticle],
    labels: Iterable[SpeakerLabel],
    predict: Callable[[str], list[PredictedQuotation]],
    keep_errors: int = 0,
) -> SpeakerEvaluation:
    """Score the speaker name of each predicted quotation that matches a labelled gold quotation (the
    lenient match of `textlake eval quotes`); gold quotations the run missed are counted apart."""
    by_article: dict[str, dict[int, SpeakerLabel]] = {}
    for label in labels:
        by_article.setdefault(label.article, {})[label.quote] = label
    result = SpeakerEvaluation()
    for article in gold:
        wanted = by_article.get(article.id)
        if not wanted:
            continue
        gold_parts = [q.parts for q in article.quotations]
        for label in wanted.values():
            if label.quote >= len(gold_parts) or gold_parts[label.quote][0][0] != label.quote_start:
                raise ValueError(f"{article.id}: label of quotation {label.quote} does not fit the gold file")
        predicted = predict(article.text)
        same_speaker = functools.partial(_same_speaker, predicted, article.quotations)
        matched = matching_pairs(article.text, [p.parts for p in predicted], gold_parts, agree=same_speaker)
        pairs = {j: i for i, j in matched}
        for index, label in sorted(wanted.items()):
            if index not in pairs:
                result.unmatched += 1
                continue
            found = predicted[pairs[index]].speaker_name
            if label.referent is None:
                right, tally = found is None, result.unnamed
            elif label.label == "PER":
                right, tally = found == label.referent, result.persons
            else:
                forms = {organisation_key(n) for n in (label.referent, *label.also)}
                right, tally = found is not None and organisation_key(found) in forms, result.organisations
            tally.add(right)
            if not right and len(result.errors) < keep_errors:
                kind = "unnamed" if label.referent is None else str(label.label)
                result.errors.append((f"{article.id}#{index}", kind, str(label.referent), str(found)))
    return result
