"""What "demnach" and "hieß es" stand for: the source of what was said just before. The quotation just
before, when there is one ("…, wie das UN-Hilfswerk mitteilte. Demnach …"); else the source the sentence
before names: a document's author ("Ein Bericht des Wirtschaftsmagazins Nikkei sorgt für Schlagzeilen.
Demnach …"), or the subject of a verb of saying after "Das" ("Das berichtete die Tageszeitung Politika.")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from textlake.nlp.quotes.clauses import WORD
from textlake.nlp.quotes.cues import is_cue
from textlake.nlp.quotes.lexicon import (
    ANNOUNCED,
    BACK_REFERRING_DETERMINERS,
    FRAME_NOUNS,
    GENDERED_WORDS,
    PREPOSITIONS,
    PRONOUNS,
    REPRESENTATIVE_ROLES,
    SOURCE_DOCUMENTS,
)
from textlake.nlp.quotes.quotation import Quotation, Span, Word

_AUTHOR = frozenset("des der eines einer".split())
_THAT = frozenset("Das Dies".split())
# what opens a sentence before its verb when the subject comes after it ("Heute hat die Staatsanwaltschaft …")
_TIME_WORDS = frozenset("heute gestern nun jetzt zuvor bereits inzwischen mittlerweile kürzlich soeben".split())


def stands_for_a_source(text: str, quotation: Quotation) -> bool:
    """The speaker mention is "demnach", "es" of "hieß es", or a frame noun that points back ("den Angaben
    zufolge"): the source of what was said just before ("wonach" is not: it stands for the noun before it,
    "Gerüchte, wonach …", "ein Gutachten, wonach …")."""
    if quotation.speaker is None:
        return False
    mention = text[quotation.speaker[0] : quotation.speaker[1]]
    cue = text[quotation.cue[0] : quotation.cue[1]] if quotation.cue is not None else ""
    return mention.lower() == "demnach" or mention == "es" and cue in ("hieß", "heißt") or _points_back(mention)


def _points_back(mention: str) -> bool:
    """ "den Angaben", "diesen Informationen": a frame noun with nothing after it to name its source."""
    words = mention.lower().split()
    return len(words) == 2 and words[0] in BACK_REFERRING_DETERMINERS and words[1].endswith(FRAME_NOUNS)


def quotation_just_before(named: Sequence[Quotation], quotation: Quotation) -> Quotation | None:
    """The quotation in the sentence before or the same one, whose source "demnach" names: "…, wie das
    UN-Hilfswerk mitteilte. Demnach stammen 48 Prozent …" is the UN-Hilfswerk's, named or not as an entity."""
    return next((q for q in reversed(named) if quotation.sentence - q.sentence <= 1), None)


def representative_before(text: str, earlier: Sequence[Quotation], quotation: Quotation) -> Quotation | None:
    """The quotation just before, when the quotation's speaker is a pronoun and that one's an unnamed
    representative it agrees with: "Die Offensive wurde von einer Armeesprecherin bestätigt. Sie sagte, …",
    "Ein Polizeisprecher sagte, …. Er fügte hinzu, …" (the army's, the police's; no person named before)."""
    if quotation.speaker is None or (pronoun := text[quotation.speaker[0] : quotation.speaker[1]]) not in PRONOUNS:
        return None
    before = quotation_just_before(earlier, quotation)
    if before is None or before.speaker is None or before.speaker_entity is not None:
        return None
    role = next(reversed(WORD.findall(text, *before.speaker)), "").lower()
    if not role.endswith(tuple(REPRESENTATIVE_ROLES)):
        return None
    return before if (GENDERED_WORDS.get(pronoun) == "f") == role.endswith("in") else None


def source_named_before(text: str, sentence: Span) -> Span | None:
    """The phrase the sentence names the source of what follows with: after a document noun, its author in
    the genitive ("Ein Bericht des Wirtschaftsmagazins Nikkei", "aus der Antwort der Bundesregierung auf
    eine Kleine Anfrage"), or the subject after "Das" and a verb of saying ("Das berichtete die Tageszeitung
    Politika am Dienstag"); up to the next comma or the sentence's end. None when it names none so."""
    words = [Word(m.start(), m.end(), m.group(0)) for m in WORD.finditer(text, *sentence)]
    if len(words) > 2 and words[0].text in _THAT and is_cue(words, 1):
        return words[2].start, _up_to_a_comma(text, words[2].start, sentence[1])
    if (announcer := _who_announced(text, words)) is not None:
        return announcer
    for (noun, article), after in zip(pairwise(words), words[2:], strict=False):
        if (
            noun.text[:1].isupper()
            and noun.text.lower().endswith(SOURCE_DOCUMENTS)
            and article.text in _AUTHOR
            and text[noun.end : article.start].isspace()  # not "eine Studie, der die Regierung widerspricht"
        ):
            if after.text in PREPOSITIONS:
                return None  # "ein Gutachten der im Sozialministerium angesiedelten Pensionskommission"
            return article.start, _up_to_a_comma(text, article.start, sentence[1])
    return None


def _who_announced(text: str, words: list[Word]) -> Span | None:
    """The subject of a verb of making known in the perfect that closes the sentence (`ANNOUNCED`): before
    the auxiliary when an article opens the sentence ("Die Österreichische Webanalyse (ÖWA) hat die Zahlen
    veröffentlicht", a dateline before it aside), else right after it ("Heute hat die Staatsanwaltschaft
    München I ein Ergebnis bekannt gegeben")."""
    dash = next((i for i, w in enumerate(words[:4]) if "–" in text[w.end : w.end + 3]), None)
    if dash is not None:
        words = words[dash + 1 :]  # a dateline: "Wien – Die ÖWA hat …", "St. Pölten – …"
    last = words[-1].text.lower() if len(words) > 3 else ""
    if last not in ANNOUNCED or last == "gegeben" and words[-2].text != "bekannt":
        return None
    aux = next((i for i, w in enumerate(words[:8]) if w.text in ("hat", "haben")), None)
    if aux is None or aux == 0 or aux + 1 >= len(words) - 1:
        return None
    if words[0].text.lower() in _TIME_WORDS or words[0].text.lower() in PREPOSITIONS:
        return words[aux + 1].start, words[-1].start  # "Heute hat die Staatsanwaltschaft … bekannt gegeben"
    return words[0].start, words[aux].start  # "Greenpeace hat einen Bericht der EU-Kommission veröffentlicht"


def _up_to_a_comma(text: str, start: int, end: int) -> int:
    comma = _COMMA.search(text, start, end)
    return comma.start() if comma else end


_COMMA = re.compile(r",\s")
