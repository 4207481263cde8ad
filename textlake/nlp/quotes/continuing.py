"""Who goes on speaking: the subject of the sentence before speech that continues without a verb of saying
("Unterdessen verteidigte Sebastian Edathy den Entwurf. Er halte …"), and whether a subject may speak at all
("Der Großteil reise weiter" is no one's)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from textlake.nlp.canonical import is_role
from textlake.nlp.quotes.clauses import WORD
from textlake.nlp.quotes.lexicon import (
    CLASS_NOUNS,
    COPULAS,
    INSTITUTION_NOUNS,
    NOUN_PHRASE_WORDS,
    PRONOUNS,
    PRONOUNS_AFTER_THE_VERB,
    REPRESENTATIVE_ROLES,
    SENTENCE_SUBJECTS,
)
from textlake.nlp.quotes.positions import overlapping
from textlake.nlp.quotes.quotation import Named, Span, Speaker
from textlake.nlp.quotes.speakers import entity_at, opening_subject, verb_subject
from textlake.nlp.wordlists import FEMININE_ENDINGS

# The nouns of a subject that may speak, beside roles: institutions and kinds of organisation.
SPEAKING_NOUNS = (*INSTITUTION_NOUNS, *CLASS_NOUNS, *REPRESENTATIVE_ROLES)


def sentence_subject(text: str, start: int, end: int, entities: Sequence[Named]) -> Speaker | None:
    """The subject of a sentence: the one it opens with, or a person right after its verb when a word of
    another kind opens it ("Unterdessen verteidigte der Vorsitzende des Ausschusses, Sebastian Edathy,
    den Entwurf": Sebastian Edathy)."""
    opening = opening_subject(text, start, end, entities)
    if opening is not None:
        return opening
    words = list(itertools.islice(WORD.finditer(text, start, end), 3))
    if len(words) < 3 or not words[0].group(0)[:1].isupper() or entity_at(entities, words[0].start()) is not None:
        return None
    verb = words[1].group(0)
    if not verb[:1].islower() or verb in NOUN_PHRASE_WORDS or verb in PRONOUNS_AFTER_THE_VERB:
        return None  # "Nachdem die Polizei kam", "Als er kam": no verb in second place
    if verb in COPULAS:
        return None  # "Eines ist X nicht vorzuwerfen", "Zuletzt waren X und Y im Gespräch": X is no subject
    found = verb_subject(text, start, words[1].span(), end, entities)
    person = found[1] if found is not None else None
    if person is None or entities[person].label != "PER":
        return None
    return (entities[person].start, entities[person].end), person  # the name, not the phrase around it


def may_name_a_speaker(text: str, speaker: Speaker, entities: Sequence[Named]) -> bool:
    """Whether a subject may be who speaks: a name, a phrase with the name of a person or an organisation
    ("Der ORF") or that is a place's ("Der Iran"), a pronoun, or a phrase whose noun is a role, an
    institution or a kind of organisation ("die Ministerin", "die Polizei", "der Konzern"); not "Der
    Großteil" or "Die Täter"."""
    span, entity = speaker
    if entity is not None:
        return True
    if span is None:
        return False
    words = list(WORD.finditer(text, span[0], span[1]))
    if words and words[0].group(0) in PRONOUNS:
        return True
    noun = next((w for w in words if w.group(0)[:1].isupper() and w.group(0).lower() not in NOUN_PHRASE_WORDS), None)
    if noun is None:
        return False
    if any(entities[i].label in ("PER", "ORG") for i in overlapping(entities, span[0], span[1])):
        return True  # "Der ORF", "Der Generaldirektor der … AG, Josef Pröll"
    if entity_at(entities, noun.start()) is not None:
        return True  # a place as the subject: "Der Iran streitet dies ab"
    if noun.group(0).endswith("er") and (after := WORD.match(text, noun.end() + 1)) and after.group(0)[:1].isupper():
        noun = after  # "Der Berliner Senat": a place's adjective before the noun
    return is_role(noun.group(0)) or noun.group(0).lower().endswith(SPEAKING_NOUNS)


def organisation_sie_stands_for(
    text: str, sentence_start: int, pronoun: Span, entities: Sequence[Named]
) -> Span | None:
    """The subject phrase a "sie" inside its sentence stands for when the sentence opens with an
    organisation named by a feminine noun: "Die Polizei stoppte Michael Diamond …, wie sie am Montag
    berichtete", "Die Schutzvereinigung für Wertpapierbesitz schlug in die gleiche Kerbe, indem sie …"
    (not the person named between). None for any other pronoun or opening."""
    if text[pronoun[0] : pronoun[1]] != "sie":
        return None
    words = list(itertools.islice(WORD.finditer(text, sentence_start, pronoun[0]), 4))
    if not words or words[0].group(0) not in SENTENCE_SUBJECTS:
        return None
    noun = next((w for w in words[1:] if w.group(0)[:1].isupper()), None)  # after adjectives: "Die Berliner …"
    if noun is None or entity_at(entities, noun.start()) is not None:
        return None  # a name: the recogniser's, resolved as names are
    lower = noun.group(0).lower()
    if not lower.endswith(FEMININE_ENDINGS) or not lower.endswith(SPEAKING_NOUNS) or is_role(noun.group(0)):
        return None
    return words[0].start(), noun.end()
