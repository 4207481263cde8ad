"""What the quotation stage finds and reads: a quotation, a word, and what it needs of sentences and entities."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

MODEL = "textlake-quotes 0.1 (rules)"
KINDS = ("direct", "indirect", "free_indirect", "indirect_free_indirect", "reported")
# An interview's turns ("Name: …"): the interviewer's questions and the answers (interview.py).
INTERVIEW_KINDS = ("answer", "question")

Span = tuple[int, int]
# A speaker: the mention's span and, when the mention is one of the document's entities or refers to one,
# that entity's index.
Speaker = tuple[Span | None, int | None]


class Word(NamedTuple):
    """A word of the document at code points start..end."""

    start: int
    end: int
    text: str


Words = Sequence[Word]


class Located(Protocol):
    """Something at code points start..end of the document."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class Named(Located, Protocol):
    """What the quotation stage needs of an entity: where it is and what it is."""

    @property
    def label(self) -> str: ...


class Canonical(Named, Protocol):
    """An entity with the name an analyst groups it by."""

    @property
    def canonical(self) -> str: ...


class Sentence(Located, Protocol):
    @property
    def paragraph(self) -> int: ...


@dataclass(frozen=True)
class Quotation:
    parts: tuple[Span, ...]  # code points into the document; more than one when discontinuous
    kind: str
    sentence: int  # ordinal of the sentence where it starts
    cue: Span | None
    speaker: Span | None
    speaker_entity: int | None  # index into the document's entities
    # Whom the speaker mention names, as an analyst groups quotations by (naming.name_speakers): a
    # person's full name, an organisation's name, a place acting as a state; None when the text names nobody.
    speaker_name: str | None = None
    speaker_label: str | None = None  # PER, ORG or LOC

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]


def speaker_of(quotation: Quotation | None) -> Speaker:
    return (quotation.speaker, quotation.speaker_entity) if quotation is not None else (None, None)


def new_quotation(
    parts: tuple[Span, ...], kind: str, ordinal: int, cue: Span | None, speaker: Speaker | None
) -> Quotation:
    mention, entity = speaker if speaker is not None else (None, None)
    return Quotation(parts, kind, ordinal, cue, mention, entity)
