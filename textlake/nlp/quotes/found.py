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
        # the direct quotations: their indices, starts, and the furthest end up to each
        self.direct_at: list[int] = []
        self.direct_starts: list[int] = []
        self.direct_reach: list[int] = []
        self.direct_in_order = 0  # how many of the first direct quotations come in start order
        self.in_sentence_order = 0  # how many of the first quotations come in sentence order

    def append(self, quotation: Quotation) -> None:
        at = len(self.quotations)
        if self.in_sentence_order == at and (not at or self.quotations[-1].sentence <= quotation.sentence):
            self.in_sentence_order += 1
        self.quotations.append(quotation)
        self.first_starting.setdefault(quotation.start, at)
        if quotation.kind == "direct":
            before = self.direct_starts[-1] if self.direct_starts else None
            if self.direct_in_order == len(self.direct_starts) and (before is None or before <= quotation.start):
                self.direct_in_order += 1
            self.direct_at.append(at)
            self.direct_starts.append(quotation.start)
            self.direct_reach.append(max(quotation.end, self.direct_reach[-1] if self.direct_reach else quotation.end))


class Found(Sequence[Quotation]):
    """The first `length` quotations of a log that later sentences extend: each sentence's progress keeps
    its own, so what an earlier sentence saw stays as it was, while adding to the latest costs only what
    is added (not a copy of all found so far)."""

    def __init__(self, log: _Log | None = None, length: int = 0):
        self._log = log if log is not None else _Log()
        self._length = length

    @staticmethod
    def of(quotations: Iterable[Quotation]) -> Found:
        found = Found()
        for quotation in quotations:
            found = found.appending(quotation)
        return found

    def appending(self, quotation: Quotation) -> Found:
        """These quotations and one more."""
        log = self._log
        if len(log.quotations) != self._length:  # a later sentence extended this log already: a copy
            return Found.of([*self, quotation])
        log.append(quotation)
        return Found(log, self._length + 1)

    def any_starting_at(self, start: int) -> bool:
        """Whether a quotation starts at `start`."""
        return self._log.first_starting.get(start, self._length) < self._length

    def direct_around(self, position: int) -> bool:
        """Whether a direct quotation runs over `position` (starts at or before it, ends after it)."""
        log = self._log
        direct = bisect.bisect_left(log.direct_at, self._length)  # how many of the direct ones are ours
        if direct > log.direct_in_order:  # not in start order: each looked at
            return any(q.kind == "direct" and q.start <= position < q.end for q in self)
        started = bisect.bisect_right(log.direct_starts, position, 0, direct)
        return started > 0 and log.direct_reach[started - 1] > position

    def since(self, sentence: int) -> Sequence[Quotation]:
        """The quotations from sentence `sentence` on, in order; all of them when they were not added in
        sentence order (so that a caller who also tests the sentence gets the same answer either way)."""
        log = self._log
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
        return self._log.quotations[: self._length][index] if isinstance(index, slice) else self._item(index)

    def _item(self, index: int) -> Quotation:
        if not -self._length <= index < self._length:
            raise IndexError(index)
        return self._log.quotations[index if index >= 0 else self._length + index]

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[Quotation]:
        quotations = self._log.quotations
        return (quotations[i] for i in range(self._length))

    def __reversed__(self) -> Iterator[Quotation]:
        quotations = self._log.quotations
        return (quotations[i] for i in range(self._length - 1, -1, -1))


def any_starting_at(found: Sequence[Quotation], start: int) -> bool:
    """Whether one of the quotations starts at `start`."""
    if isinstance(found, Found):
        return found.any_starting_at(start)
    return any(q.start == start for q in found)
