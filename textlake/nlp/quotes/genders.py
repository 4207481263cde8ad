"""Whom a pronoun may refer to by gender: the gender the document writes each person with, and whether "sie"
is one woman or several."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from textlake.nlp.canonical import is_role
from textlake.nlp.quotes.clauses import WORD
from textlake.nlp.quotes.lexicon import (
    ADJECTIVE_ENDINGS,
    CLAUSE_JOINS,
    GENDERED_ROLE_ENDINGS,
    GENDERED_WORDS,
    NOUN_PHRASE_WORDS,
    PRONOUNS,
)
from textlake.nlp.quotes.quotation import Named, Span


def plural_verb_beside(text: str, pronoun: Span) -> bool:
    """Whether "sie" is plural by the verb beside it: the word after it at the start of a clause ("Sie
    schrieben", "Und sie vermuten"), else the word before it ("In der Notiz teilten sie mit"), ends in -en, as
    no third-person singular does ("sie sagte", "lässt sie erklären")."""
    before: list[str] = WORD.findall(text, max(0, pronoun[0] - 40), pronoun[0])
    starts_a_clause = (
        text[pronoun[0]].isupper()
        or not before
        or before[-1].lower() in CLAUSE_JOINS
        or text[max(0, pronoun[0] - 5) : pronoun[0]].rstrip().endswith(",")
    )
    if starts_a_clause:
        after = WORD.match(text, pronoun[1] + 1)
        return after is not None and after.group().endswith("en")
    return before[-1].endswith("en")


def singular_cue(text: str, cue: Span | None) -> bool:
    """The cue is a verb in the third-person singular ("sagte", "betont"): "Sie hingegen sagte" is one
    woman, whatever word ending in -en stands beside the pronoun."""
    return cue is not None and text[cue[0] : cue[1]].endswith(("t", "te"))


def person_key(text: str, entity: Named) -> str:
    """What the mentions of one person share: the last word of the name ("Piltz" of "Gisela Piltz")."""
    return text[entity.start : entity.end].rsplit(" ", 1)[-1]


_SENTENCE_END = re.compile(r"[.!?]\s")
# How many words before a name, and after its comma, a word that tells the person's gender is looked for.
_GENDER_WORDS_BEFORE = 5
_GENDER_WORDS_AFTER = 1


def person_genders(text: str, entities: Sequence[Named]) -> dict[str, str]:
    """The gender ("f", "m") the document writes each person with, by the last word of their name: from
    the words just before a mention ("Frau Piltz", "die innenpolitische Sprecherin der Fraktion, Gisela
    Piltz", "Bundesinnenminister Wolfgang Schäuble") and a role right after its comma ("Gisela Piltz,
    Vorsitzende …"), up to the entity before; the more frequent when the mentions disagree, none when even."""
    votes: dict[str, Counter[str]] = {}
    previous_end = 0
    for entity in entities:
        if entity.label != "PER":
            previous_end = max(previous_end, entity.end)
            continue
        window_start = max(previous_end, entity.start - 120)
        sentence_end = _SENTENCE_END.search(text, window_start, entity.start)  # not a role of the sentence before
        while sentence_end is not None:
            window_start = sentence_end.end()
            sentence_end = _SENTENCE_END.search(text, window_start, entity.start)
        before = _noun_phrase_before(WORD.findall(text, window_start, entity.start)[-_GENDER_WORDS_BEFORE:])
        after = text[entity.end : entity.end + 60]
        apposition = WORD.findall(after[1:])[:_GENDER_WORDS_AFTER] if after.startswith(",") else []
        # the nearest word before the name, else the role after its comma (which may be the next person's)
        said = [g for g in map(_gender_of_word, before) if g is not None][-1:] or [
            g for g in map(_gender_of_word, apposition) if g is not None
        ][:1]
        if said:
            votes.setdefault(person_key(text, entity), Counter())[said[0]] += 1
        previous_end = max(previous_end, entity.end)
    genders = {}
    for key, counted in votes.items():
        (first, n), *rest = counted.most_common()
        if not rest or rest[0][1] < n:
            genders[key] = first
    return genders


def _noun_phrase_before(words: list[str]) -> list[str]:
    """The words right before a name that belong to its noun phrase: back to the first lower-case word that
    is no article and no adjective ("Die Kanzlerin traf am Montag Peter Müller": none; "die innenpolitische
    Sprecherin der Fraktion, Gisela Piltz": all)."""
    kept: list[str] = []
    for word in reversed(words):
        if word.islower() and word not in NOUN_PHRASE_WORDS and not word.endswith(ADJECTIVE_ENDINGS):
            break
        kept.append(word)
    return kept[::-1]


def _gender_of_word(word: str) -> str | None:
    """ "f" or "m" when the word tells a person's gender (`GENDERED_WORDS`, a role word and its ending)."""
    if word in GENDERED_WORDS and word not in PRONOUNS:
        return GENDERED_WORDS[word]
    if word.endswith("s") and not is_role(word):  # the genitive: "des Bundesinnenministers"
        word = word[:-1]
    if not word[:1].isupper() or not is_role(word):
        return None
    gender = next((g for ending, g in GENDERED_ROLE_ENDINGS.items() if word.endswith(ending)), "m")
    return gender if gender in ("f", "m") else None
