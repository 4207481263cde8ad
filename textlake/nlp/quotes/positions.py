"""Entities and quoted spans found by where they lie: a long document has tens of thousands of each, and
the rules ask of every sentence and every quotation which of them stand there. Looking through them all
each time made the quotation stage grow with the square of a document's length."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator, Sequence
from typing import TypeVar, overload

from textlake.nlp.quotes.quotation import Located, Span

T = TypeVar("T")
L = TypeVar("L", bound=Located)


class ByPosition(Sequence[T]):
    """A document's items (entities, or spans between quotation marks) in their order, each at start..end,
    with the indices of those that may lie somewhere found by a binary search. That needs the items in
    start order, each with start <= end (as the stages make them); otherwise every index is a candidate.
    Callers test each candidate as they tested every item before: the answer is the same, only found
    sooner."""

    def __init__(self, items: Sequence[T], starts: list[int], ends: list[int]):
        self._items = items
        self._starts = starts
        # the furthest end among the items up to each: the first item that reaches past a point is at or
        # after the first place where this passes it
        self._reach = list(itertools.accumulate(ends, max))
        self._ordered = all(a <= b for a, b in itertools.pairwise(starts)) and all(
            s <= e for s, e in zip(starts, ends, strict=True)
        )

    @staticmethod
    def of_located(items: Sequence[L]) -> ByPosition[L]:
        return ByPosition(items, [item.start for item in items], [item.end for item in items])

    @staticmethod
    def of_spans(spans: Sequence[Span]) -> ByPosition[Span]:
        return ByPosition(spans, [start for start, _ in spans], [end for _, end in spans])

    def starting_in(self, start: int, end: int) -> range:
        """Indices of the items that may start at start..end (both included), in order."""
        if not self._ordered:
            return range(len(self._items))
        return range(bisect.bisect_left(self._starts, start), bisect.bisect_right(self._starts, end))

    def overlapping(self, start: int, end: int) -> range:
        """Indices of the items that may overlap start..end (their start before `end`, their end after
        `start`), in order."""
        if not self._ordered:
            return range(len(self._items))
        return range(bisect.bisect_right(self._reach, start), bisect.bisect_left(self._starts, end))

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...
    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        return iter(self._items)


def starting_in(items: Sequence[object], start: int, end: int) -> range:
    """Indices of the items that may start at start..end (both included): every index unless `items` is
    `ByPosition`."""
    return items.starting_in(start, end) if isinstance(items, ByPosition) else range(len(items))


def overlapping(items: Sequence[object], start: int, end: int) -> range:
    """Indices of the items that may overlap start..end: every index unless `items` is `ByPosition`."""
    return items.overlapping(start, end) if isinstance(items, ByPosition) else range(len(items))
