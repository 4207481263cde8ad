"""Whom the speech is addressed to, or who asked: "sagte sie dem STANDARD", "gegenüber der Zeitung X", "auf
Anfrage des STANDARD", "sagte er der APA". Such a name is never the speaker; asked by `naming` and
`speakers` for every entity a speaker mention could be."""

from __future__ import annotations

import re

from textlake.nlp.quotes.clauses import WORD
from textlake.nlp.quotes.institutions import ends_with
from textlake.nlp.quotes.lexicon import (
    ADDRESSEE_MARKERS,
    AGENCY_PREPOSITIONS,
    AGENCY_VOICES,
    NEWS_AGENCIES,
    SOURCE_DOCUMENTS,
    SOURCE_NOUNS,
)


def addressed(text: str, start: int, entity_start: int, entity_end: int) -> bool:
    """The entity stands as the addressee of the speech, or as who asked: "zum STANDARD", "sagte sie dem
    STANDARD", "gegenüber der Zeitung X", "auf Anfrage des STANDARD" (`ADDRESSEE_MARKERS`), not as the
    source ("dem ZDF zufolge")."""
    after = text[entity_end : entity_end + 20].split()
    if after and after[0].strip(",.;:").lower() in _SOURCE_AFTER:
        return False  # "dem ZDF zufolge", "der dpa zufolge": the source
    # searched from the mention's start on; the words before it stay visible to the regex's look-behinds
    if _ADDRESSEE.search(text, max(start, entity_start - 40), entity_start):
        return True
    return _a_news_agency_spoken_to(text, entity_start, entity_end)


def _a_news_agency_spoken_to(text: str, entity_start: int, entity_end: int) -> bool:
    """ "sagte er der APA", "erklärte ein Heeressprecher der APA", "zu Reuters", "bestätigte der
    Nachrichtenagentur AFP": a news agency (`NEWS_AGENCIES`, or a name after "Nachrichtenagentur") in the
    dative; not "eine Reporterin der AFP", "laut einer Meldung der dpa", "von der Agentur Interfax"
    (`AGENCY_VOICES`, `AGENCY_PREPOSITIONS`, source nouns and documents), where the agency speaks."""
    before = WORD.findall(text, max(0, entity_start - 60), entity_start)[-3:]
    if before and (before[-1].lower() == "agentur" or before[-1].lower().endswith(_NEWS_AGENCY_NOUNS)):
        before = before[:-1]  # "der Nachrichtenagentur AFP", not "der EU-Grenzschutzagentur Frontex"
    elif text[entity_start:entity_end] not in NEWS_AGENCIES:
        return False
    if not before or before[-1] not in ("der", "zu"):
        return False
    voice = before[-2].lower() if len(before) > 1 else ""
    if voice in AGENCY_PREPOSITIONS:
        return False
    return not ends_with(voice, (*AGENCY_VOICES, *SOURCE_NOUNS, *SOURCE_DOCUMENTS))


_NEWS_AGENCY_NOUNS = ("nachrichtenagentur", "presseagentur")  # "Finanz-Nachrichtenagentur", not "Ratingagentur"


# ADDRESSEE_MARKERS: the markers; "!word", a word before a marker that makes it no marker ("laut dem"); and
# "+word", a word after the name that makes it the source ("dem ZDF zufolge").
_SOURCE_AFTER = frozenset(m[1:].lower() for m in ADDRESSEE_MARKERS if m.startswith("+"))
# not after those words, nor after a comma: an apposition ("nach Angaben des Hauptsponsors, dem
# Getränkehersteller Pepsi")
_NOT_AFTER = "(?<!, )" + "".join(rf"(?<!\b{re.escape(m[1:])} )" for m in ADDRESSEE_MARKERS if m.startswith("!"))
_ADDRESSEE = re.compile(
    r"\b(?:"
    + "|".join(_NOT_AFTER + re.escape(m) for m in ADDRESSEE_MARKERS if not m.startswith(("!", "+")))
    + r")\s+(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
