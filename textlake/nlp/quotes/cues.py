"""Verbs of saying: which word is a cue ("sagte", "gab … an"), and the reportive "soll"."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from textlake.nlp.quotes.lexicon import (
    ADJECTIVE_ENDINGS,
    NOT_SAYING,
    PERFECT_AUXILIARIES,
    REPORTIVE,
    SAYING,
    VERB_ENDINGS,
    WITH_PARTNER,
)
from textlake.nlp.quotes.quotation import Span, Word, Words
from textlake.nlp.wordlists import ARTICLES


def reportive(words: Words) -> bool:
    """ "soll" with a perfect infinitive reports what others say ("soll … geflohen sein", "soll … gesagt
    haben"); with a plain one it is a plan ("Neuwahlen sollen im November stattfinden")."""
    at = next((i for i, w in enumerate(words) if w.text in REPORTIVE), None)
    return at is not None and any(w.text in PERFECT_AUXILIARIES for w in words[at + 1 :])


def is_cue(words: Sequence[Word], index: int) -> bool:
    """Whether the word at `index` is a verb of saying: "sagte", "erklärte", or "gab" with "an" among the
    seven words after it; a capitalised word only when it opens the words."""
    word = words[index].text
    if index > 0 and word[:1].isupper():
        return False  # a noun inside the sentence ("nach Berichten"), not a verb
    partners = _cue_partners(word.lower())
    if partners is None:
        return False
    if word[:1].isupper() and not _a_verbs_form(word.lower()):
        return False  # "Gabriel sagte, …": a name opening the sentence that starts like "gab"
    if _an_adjective_of_the_noun_after(words, index):
        return False
    if not partners:
        return True
    return any(w.text.lower() in partners for w in words[index + 1 : index + 8])


def _an_adjective_of_the_noun_after(words: Sequence[Word], index: int) -> bool:
    """ "aber die vorgeschlagenen Maßnahmen seien falsch": a participle between an article inside the
    sentence and a noun is an adjective, no verb of saying ("Das sagte Merkel" opens with its article)."""
    if not 2 <= index < len(words) - 1 or not words[index + 1].text[:1].isupper():
        return False
    article, word = words[index - 1], words[index]
    # one space between: "lädt zu Missbrauch ein, sagte Georg Mascolo" has a particle and a comma
    return article.text.lower() in ARTICLES and word.start - article.end == 1 and word.text.endswith(ADJECTIVE_ENDINGS)


@functools.cache
def _a_verbs_form(word: str) -> bool:
    """Whether the word (in lower case) is a verb of saying as written, not a word that only starts like one:
    a stem of WITH_PARTNER and up to two letters, or an entry of SAYING and a verb ending (VERB_ENDINGS)."""
    if any(word[:cut] in WITH_PARTNER for cut in (len(word), len(word) - 1, len(word) - 2)):
        return True
    return any(word.startswith(prefix) and word[len(prefix) :] in VERB_ENDINGS for prefix in SAYING)


@functools.cache
def _cue_partners(word: str) -> tuple[str, ...] | None:
    """None when the word (in lower case) is no verb of saying; else the partner words it needs ("gab" …
    "an"), () for none. The first list that has the word decides: WITH_PARTNER (a stem and up to two
    letters: "gab", "gaben"), then NOT_SAYING (the exact word: "bericht", "berichte"), then SAYING (a
    prefix: "berichtet"). So "gab" needs its partner though NOT_SAYING lists it too, and "bericht" is no
    cue though it starts like one."""
    # the verb's forms by their stem and an ending: "schlug", "schlugen"
    stem = next((word[:cut] for cut in (len(word), len(word) - 1, len(word) - 2) if word[:cut] in WITH_PARTNER), None)
    if stem is not None:
        return WITH_PARTNER[stem]
    if word in NOT_SAYING or not word.startswith(SAYING):
        return None
    return ()


def first_cue(words: Sequence[Word]) -> Span | None:
    for index, word in enumerate(words):
        if is_cue(words, index):
            return (word.start, word.end)
    return None
