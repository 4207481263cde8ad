"""Interviews: the turns of a text written as "Name: …", each a quotation of the one named before the colon.

"STANDARD: Wie wird Mazedonien reagieren? Poposki: Wir koordinieren unsere Bemühungen …": a turn runs from
after its colon to the next turn (or the document's end). A text is an interview when at least two
speakers take turns and one of them asks: the one whose turns most often end in a question mark (a third
of them at least) is the interviewer (kind `question`), every other turn is an answer (kind `answer`). A
colon after a word that names no one ("Fazit: …", "Wien: …") is no turn: the name must be a person or
organisation the document names, or a medium's name in capitals ("STANDARD").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from textlake.nlp.quotes.quotation import Named, Quotation, Sentence, Span

_TURN = re.compile(r"([A-ZÄÖÜ][\w.'’-]*(?: [A-ZÄÖÜ][\w.'’-]*){0,2}): (?=\S)")
MIN_TURNS = 3  # an exchange: a question, an answer and one more


def interview_turns(text: str, sentences: Sequence[Sentence], entities: Sequence[Named]) -> list[Quotation]:
    """The turns of an interview, in text order; none when the text is not one."""
    names = _names(text, entities)
    starts: dict[int, int] = {}  # the first entity that starts at each place
    for index, one in enumerate(entities):
        starts.setdefault(one.start, index)
    openers = [(o, m) for o, s in enumerate(sentences) if (m := _TURN.match(text, s.start, s.end)) is not None]
    recurring = Counter(m.group(1) for _, m in openers)
    # a name the recogniser missed takes turns too when it answers a medium in capitals ("STANDARD: …?
    # Zeidler: …"): it opens at least two turns beside the medium's two
    medium_asks = any(who.isupper() and len(who) >= 3 and n >= 2 for who, n in recurring.items())
    opened: list[tuple[int, Span, int | None, str]] = []  # sentence, the name, its entity, who
    for ordinal, match in openers:
        who = match.group(1)
        named = who in names or (who.isupper() and len(who) >= 3)
        if not named and not (medium_asks and recurring[who] >= 2 and " " not in who):
            continue
        at = starts.get(match.start(1))
        entity = at if at is not None else names.get(who)
        opened.append((ordinal, match.span(1), entity, who))
    speakers = Counter(who for *_, who in opened)
    if len(opened) < MIN_TURNS or len(speakers) < 2:
        return []
    ends = [sentences[o].start for o, *_ in opened[1:]] + [len(text)]
    asking = Counter(who for (_, _, _, who), end in zip(opened, ends, strict=True) if text[:end].rstrip().endswith("?"))
    interviewer = max(speakers, key=lambda who: (asking[who] / speakers[who], asking[who]))
    if asking[interviewer] * 3 < speakers[interviewer]:
        # nobody asks: a list of "Name: …" lines, not an interview (an interviewer also states: "STANDARD:
        # Alle Firmen müssen sich derzeit extrem schnell bewegen."; a third of their turns ask)
        return []
    turns = []
    for (ordinal, name, entity, who), end in zip(opened, ends, strict=True):
        start = name[1] + 2
        end = len(text[:end].rstrip())
        if end - start < 2:
            continue
        kind = "question" if who == interviewer else "answer"
        turns.append(Quotation(((start, end),), kind, ordinal, None, name, entity))
    return turns


def _names(text: str, entities: Sequence[Named]) -> dict[str, int | None]:
    """The names a turn may open with: each person's or organisation's text, and a person's surname."""
    names: dict[str, int | None] = {}
    for index, entity in enumerate(entities):
        if entity.label not in ("PER", "ORG"):
            continue
        written = text[entity.start : entity.end]
        names.setdefault(written, index)
        if entity.label == "PER" and " " in written:
            names.setdefault(written.rsplit(" ", 1)[1], index)
    return names
