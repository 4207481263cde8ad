"""How well textlake reads news pages: its main text, title, date and authors against what each site's own
hand-written parser extracts (Fundus's test pages: a JSON line per page with `file`, `url`, `title`,
`authors`, `published`, `body`)."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from textlake.ingest.records.html_page import HtmlPage, extract_page

_WORD = re.compile(r"\w+")
_INVISIBLE = re.compile("[\xad\u200b\u200c\u200d\u2060\ufeff]")

BODY_RULE = "bag of words: lower-cased \\w+ words of the main text against the gold body's, F1 per page, mean of pages"
TITLE_RULE = "equal after collapsing whitespace and removing soft hyphens and zero-width characters"
DATE_RULE = (
    "the calendar day as the gold states it: our time in the gold's UTC offset where the gold gives one, "
    "else the day as the page states it"
)
AUTHOR_RULE = "the same set of names, compared as titles are"


@dataclass(frozen=True)
class GoldPage:
    file: Path
    url: str | None
    title: str
    published: str | None  # as the gold states it: "2024-04-26 20:44:00+02:00", or without an offset
    authors: tuple[str, ...]
    body: str


@dataclass(frozen=True)
class PageScore:
    name: str
    body_precision: float
    body_recall: float
    body_f1: float
    title: str | None
    title_right: bool
    published: str | None  # as the page states it
    date_right: bool
    authors: tuple[str, ...]
    authors_right: bool


@dataclass
class HtmlEvaluation:
    pages: list[PageScore] = field(default_factory=list)
    seconds: float = 0.0  # reading and extraction of every page, one process

    def mean(self, attribute: str) -> float:
        return sum(getattr(p, attribute) for p in self.pages) / len(self.pages) if self.pages else 0.0

    def count(self, attribute: str) -> int:
        return sum(bool(getattr(p, attribute)) for p in self.pages)


def read_page_gold(path: Path, pages_dir: Path | None = None) -> list[GoldPage]:
    """The gold pages of a JSON Lines file; each `file` is in `pages_dir` (default: `pages/` beside it)."""
    folder = pages_dir or path.parent / "pages"
    pages = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            pages.append(
                GoldPage(
                    file=folder / item["file"],
                    url=item.get("url"),
                    title=item.get("title") or "",
                    published=item.get("published"),
                    authors=tuple(item.get("authors") or ()),
                    body=item.get("body") or "",
                )
            )
    return pages


def evaluate_html(gold: list[GoldPage]) -> HtmlEvaluation:
    """Each page read as `textlake run` reads an HTML page (its gold URL given, as a web archive gives it)."""
    evaluation = HtmlEvaluation()
    for page in gold:
        data = page.file.read_bytes()
        started = time.perf_counter()
        if page.file.suffix == ".gz":
            data = gzip.decompress(data)
        extracted = extract_page(data, page.url)
        evaluation.seconds += time.perf_counter() - started
        evaluation.pages.append(score_page(page, extracted))
    return evaluation


def score_page(gold: GoldPage, page: HtmlPage) -> PageScore:
    precision, recall, f1 = body_scores(page.text, gold.body)
    metadata = page.metadata
    return PageScore(
        name=gold.file.name,
        body_precision=precision,
        body_recall=recall,
        body_f1=f1,
        title=metadata.title,
        title_right=same_text(metadata.title, gold.title),
        published=metadata.published or (page.published.at.date().isoformat() if page.published.at else None),
        date_right=same_day(page, gold.published),
        authors=metadata.authors,
        authors_right={_plain(a) for a in metadata.authors} == {_plain(a) for a in gold.authors},
    )


def body_words(text: str) -> Counter[str]:
    return Counter(_WORD.findall(_INVISIBLE.sub("", text).lower()))


def body_scores(text: str, gold: str) -> tuple[float, float, float]:
    """Precision, recall and F1 of the text's words against the gold's, as bags (a word counts as often as it
    occurs in both)."""
    ours, theirs = body_words(text), body_words(gold)
    shared = sum((ours & theirs).values())
    if not shared:
        return 0.0, 0.0, 0.0
    precision, recall = shared / ours.total(), shared / theirs.total()
    return precision, recall, 2 * precision * recall / (precision + recall)


def _plain(text: str | None) -> str:
    return " ".join(_INVISIBLE.sub("", unicodedata.normalize("NFC", text or "")).split())


def same_text(ours: str | None, gold: str) -> bool:
    return ours is not None and _plain(ours) == _plain(gold)


def same_day(page: HtmlPage, gold: str | None) -> bool:
    """Whether the page's date falls on the gold's day (`DATE_RULE`)."""
    if not gold or page.published.at is None:
        return False
    gold_day = gold.strip()[:10]
    if page.published.precision in ("year", "month", "day"):
        return page.published.at.date().isoformat() == gold_day
    try:
        gold_time = dt.datetime.fromisoformat(gold.strip())
    except ValueError:
        return False
    if gold_time.tzinfo is not None:
        return page.published.at.astimezone(gold_time.tzinfo).date().isoformat() == gold_day
    return _stated_day(page) == gold_day


def _stated_day(page: HtmlPage) -> str | None:
    """The day in the page's own statement of the time ("2024-04-25T14:07:00+02:00" → 2024-04-25)."""
    stated = page.metadata.published
    try:
        return dt.datetime.fromisoformat(stated.strip()).date().isoformat() if stated else None
    except ValueError:
        return page.published.at.date().isoformat() if page.published.at else None
