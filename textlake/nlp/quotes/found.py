"""The quotations found so far in a document, as the rules ask about them at every sentence: in time that
does not grow with how many there are (a long document has tens of thousands; looking through them all
at each sentence made the quotation stage grow with the square of the document's length)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

from textlake.nlp.quotes.quotation import Quotation


class _Log:
    """Quotations in the order they were added, and what is asked of them, kept up to date as they are."""

    def __init__(self) -> None:
        self.quotations: list[Quotation] = []
        self.first_starting: dict[int, int] = {}  # a start → the index of the first quotation there
        # every quotation's start, and the furthest end up to each; how many of the first come in start order
        self.starts: list[int] = []
        self.reach: list[int] = []
        self.in_start_order = 0
        # the direct quotations: their indices, starts, and the furthest end up to each
        self.direct_at: list[int] = []
        self.direct_starts: list[int] = []
        self.direct_reach: list[int] = []
        self.direct_in_order = 0  # how many of the first direct quotations come in start order
        self.in_sentence_order = 0  # how many of the first quotations come in sentence order
        self.version = 0  # changed when the last quotation is taken back: the views of it are then stale

    def append(self, quotation: Quotation) -> None:
        at = len(self.quotations)
        if self.in_sentence_order == at and (not at or self.quotations[-1].sentence <= quotation.sentence):
            self.in_sentence_order += 1
        if self.in_start_order == at and (not at or self.starts[-1] <= quotation.start):
            self.in_start_order += 1
        self.quotations.append(quotation)
        self.first_starting.setdefault(quotation.start, at)
        self.starts.append(quotation.start)
        self.reach.append(max(quotation.end, self.reach[-1] if self.reach else quotation.end))
        if quotation.kind == "direct":
            before = self.direct_starts[-1] if self.direct_starts else None
            if self.direct_in_order == len(self.direct_starts) and (before is None or before <= quotation.start):
                self.direct_in_order += 1
            self.direct_at.append(at)
            self.direct_starts.append(quotation.start)
            self.direct_reach.append(max(quotation.end, self.direct_reach[-1] if self.direct_reach else quotation.end))

    def pop(self) -> None:
        """Take the last quotation back, as if it had not been appended."""
        at = len(self.quotations) - 1
        quotation = self.quotations.pop()
        self.version += 1
        self.in_sentence_order = min(self.in_sentence_order, at)
        self.in_start_order = min(self.in_start_order, at)
        self.starts.pop()
        self.reach.pop()
        if self.first_starting.get(quotation.start) == at:
            del self.first_starting[quotation.start]
        if self.direct_at and self.direct_at[-1] == at:
            self.direct_at.pop()
            self.direct_starts.pop()
            self.direct_reach.pop()
            self.direct_in_order = min(self.direct_in_order, len(self.direct_at))


class Found(Sequence[Quotation]):
    """The first `length` quotations of a log that later sentences extend: each sentence's progress keeps
    its own, so what an earlier sentence saw stays as it was, while adding to the latest costs only what
    is added (not a copy of all found so far)."""

    def __init__(self, log: _Log | None = None, length: int = 0):
        self._log = log if log is not None else _Log()
        self._length = length
        self._version = self._log.version

    @staticmethod
    def of(quotations: Iterable[Quotation]) -> Found:
        found = Found()
        for quotation in quotations:
            found = found.appending(quotation)
        return found

    def appending(self, quotation: Quotation) -> Found:
        """These quotations and one more."""
        log = self._current()
        if len(log.quotations) != self._length:  # a later sentence extended this log already: a copy
            return Found.of([*self, quotation])
        log.append(quotation)
        return Found(log, self._length + 1)

    def replacing_last(self, quotation: Quotation) -> Found:
        """These quotations with the last one replaced. When these are the latest of their log, the log
        changes in place, and this view of it becomes stale: the rules go on from the new one only."""
        log = self._current()
        if len(log.quotations) != self._length or not self._length:
            return Found.of([*self[:-1], quotation])
        log.pop()
        log.append(quotation)
        return Found(log, self._length)

    def _current(self) -> _Log:
        if self._version != self._log.version:
            raise RuntimeError("quotations found asked after a later sentence replaced their last one")
        return self._log

    def any_starting_at(self, start: int) -> bool:
        """Whether a quotation starts at `start`."""
        return self._current().first_starting.get(start, self._length) < self._length

    def any_overlapping(self, start: int, end: int) -> bool:
        """Whether a quotation overlaps start..end (starts before `end`, ends after `start`)."""
        log = self._current()
        ordered = min(self._length, log.in_start_order)  # those after them are looked at one by one
        before_end = bisect.bisect_left(log.starts, end, 0, ordered)
        if before_end > 0 and log.reach[before_end - 1] > start:
            return True
        return any(q.start < end and start < q.end for q in log.quotations[ordered : self._length])

    def direct_around(self, position: int) -> bool:
        """Whether a direct quotation runs over `position` (starts at or before it, ends after it)."""
        log = self._current()
        direct = bisect.bisect_left(log.direct_at, self._length)  # how many of the direct ones are ours
        if direct > log.direct_in_order:  # not in start order: each looked at
            return any(q.kind == "direct" and q.start <= position < q.end for q in self)
        started = bisect.bisect_right(log.direct_starts, position, 0, direct)
        return started > 0 and log.direct_reach[started - 1] > position

    def since(self, sentence: int) -> Sequence[Quotation]:
        """The quotations from sentence `sentence` on, in order; all of them when they were not added in
        sentence order (so that a caller who also tests the sentence gets the same answer either way)."""
        log = self._current()
        if self._length > log.in_sentence_order:
            return list(self)
        first = self._length
        while first > 0 and log.quotations[first - 1].sentence >= sentence:
            first -= 1
        return log.quotations[first : self._length]

    @overload
    def __getitem__(self, index: int) -> Quotation: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Quotation]: ...
    def __getitem__(self, index: int | slice) -> Quotation | Sequence[Quotation]:
        return self._current().quotations[: self._length][index] if isinstance(index, slice) else self._item(index)

    def _item(self, index: int) -> Quotation:
        if not -self._length <= index < self._length:
            raise IndexError(index)
        return self._current().quotations[index if index >= 0 else self._length + index]

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[Quotation]:
        quotations = self._current().quotations
        return (quotations[i] for i in range(self._length))

    def __reversed__(self) -> Iterator[Quotation]:
        quotations = self._current().quotations
        return (quotations[i] for i in range(self._length - 1, -1, -1))


def any_starting_at(found: Sequence[Quotation], start: int) -> bool:
    """Whether one of the quotations starts at `start`."""
    if isinstance(found, Found):
        return found.any_starting_at(start)
    return any(q.start == start for q in found)


def any_overlapping(found: Sequence[Quotation], start: int, end: int) -> bool:
    """Whether one of the quotations overlaps start..end."""
    if isinstance(found, Found):
        return found.any_overlapping(start, end)
    return any(q.start < end and start < q.end for q in found)
