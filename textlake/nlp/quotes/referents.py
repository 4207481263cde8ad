"""Whom a pronoun or a role as speaker refers to ("er", "Seinen Angaben", "der Präsident"): the person of
the quotation before, the subject of the sentence before, or the person named last; never the person
before when an unnamed spokesperson spoke just before."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from textlake.nlp.canonical import is_role
from textlake.nlp.quotes.genders import person_key, plural_verb_beside, singular_cue
from textlake.nlp.quotes.lexicon import (
    FRAME_NOUNS,
    FRAME_POSSESSIVES,
    GENDERED_WORDS,
    OWN_VOICE_ROLES,
    PRONOUNS,
    REPRESENTATIVE_ROLES,
    STANDALONE_FRAMES,
)
from textlake.nlp.quotes.naming import in_a_prepositional_phrase
from textlake.nlp.quotes.positions import starting_in
from textlake.nlp.quotes.quotation import Named, Quotation
from textlake.nlp.quotes.sources import representative_before

# "der 45-Jährige", "Die 42-Jährige": a person by their age, in the nominative
_BY_AGE = re.compile(r"[Dd](?:er|ie) \d+-[Jj]ährige\b(?! [A-ZÄÖÜ])")
INDEFINITE = frozenset(("ein", "eine", "einer", "eines", "einem", "einen"))
SPEAKS_FOR_ANOTHER = tuple(REPRESENTATIVE_ROLES) + tuple(OWN_VOICE_ROLES)


def resolved(
    text: str,
    quotation: Quotation,
    earlier: Sequence[Quotation],
    entities: Sequence[Named],
    genders: Mapping[str, str] | None = None,
    subject_before: int | None = None,
    paragraph_start: int = 0,
) -> Quotation:
    """Resolve a pronoun or a role noun phrase as speaker to the person of the quotation before (within
    three sentences), a pronoun else to the person named last before it; anything else stays as found.
    A pronoun refers to no person of the other gender (`genders`: `person_genders`), and "sie" before a
    plural verb ("Sie schrieben") to no one person. A pronoun whose own sentence names no one before it
    refers first to the person the sentence before opens with (`subject_before`), when that sentence is
    no quotation's: "X sagte … Ziemendorff ist Koordinator. In einem Interview erklärte er": Ziemendorff.
    A possessive before a frame noun ("Seinen Angaben zufolge") is its pronoun, but only for those two: the
    person named last before it is too often not the one meant ("Die 42-Jährige erzählt …. Woraufhin sie
    nach ihrer Darstellung …"). A person written by their age ("der 25-Jährige") is the person named last
    in the paragraph (from `paragraph_start`)."""
    if quotation.speaker is None or quotation.speaker_entity is not None:
        return quotation
    mention = text[quotation.speaker[0] : quotation.speaker[1]]
    head = mention.rsplit(" ", 1)[-1].lower()
    if mention.lower() in STANDALONE_FRAMES:  # "Demnach": the source of the quotation just before
        before_any = next((q for q in reversed(earlier) if quotation.sentence - q.sentence <= 1), None)
        entity = before_any.speaker_entity if before_any is not None else None
        return Quotation(quotation.parts, quotation.kind, quotation.sentence, quotation.cue, quotation.speaker, entity)
    pronoun = pronoun_standing_for(mention)
    is_pronoun = pronoun is not None
    if not is_pronoun and not is_role(head):
        return quotation
    if not is_pronoun and (mention.split(" ", 1)[0].lower() in INDEFINITE or head.endswith(SPEAKS_FOR_ANOTHER)):
        return quotation  # "ein Sprecher", "der Polizeisprecher", "der Anwalt": not the person quoted before
    gender = GENDERED_WORDS.get(pronoun) if pronoun is not None else None
    if gender == "f" and plural_verb_beside(text, quotation.speaker) and not singular_cue(text, quotation.cue):
        return quotation  # "Sie schrieben", "teilten sie mit": several, not the person named before
    if representative_before(text, earlier, quotation) is not None:
        return quotation  # "Ein Polizeisprecher sagte, …. Er fügte hinzu": no person named, the police (naming)

    def may_be(entity: int) -> bool:
        """Whether the person entity may be who the speaker mention refers to: not of the other gender."""
        other = genders.get(person_key(text, entities[entity])) if genders and gender else None
        return other is None or other == gender

    if _BY_AGE.match(mention):
        # "Das Interesse an Aleksandar Dragovic … sagte der 25-Jährige": by their age, the person named last in
        # the paragraph, in a prepositional phrase too, not the speaker quoted before
        in_paragraph = lambda i: may_be(i) and entities[i].start >= paragraph_start  # noqa: E731
        entity = _pronoun_referent(text, entities, quotation.speaker[0], in_paragraph, subjects_first=False)
        return replace(quotation, speaker_entity=entity)
    if is_pronoun and subject_before is not None and may_be(subject_before):
        opens_sentence = not any(q.sentence == quotation.sentence - 1 for q in earlier)
        if opens_sentence and _no_person_between(entities, entities[subject_before].end, quotation.speaker[0]):
            return replace(quotation, speaker_entity=subject_before)
    before = next(
        (
            q
            for q in reversed(earlier)
            if q.speaker_entity is not None
            and entities[q.speaker_entity].label == "PER"
            and quotation.sentence - q.sentence <= 3
            and may_be(q.speaker_entity)
        ),
        None,
    )
    entity = before.speaker_entity if before is not None else None
    if entity is None and mention in PRONOUNS:  # not "seiner Darstellung" of a subject named further back
        entity = _pronoun_referent(text, entities, quotation.speaker[0], may_be)
    return Quotation(quotation.parts, quotation.kind, quotation.sentence, quotation.cue, quotation.speaker, entity)


def pronoun_standing_for(mention: str) -> str | None:
    """The pronoun a speaker mention is or stands for: "er", "Sie"; "Seinen Angaben" (zufolge) → "er"; "der
    45-Jährige" → "er", "die 42-Jährige" → "sie" (a person the text named just before, by their age)."""
    if mention in PRONOUNS:
        return mention
    if _BY_AGE.match(mention):
        return "er" if mention[:3].lower() == "der" else "sie"
    words = mention.lower().split()
    if len(words) != 2 or not words[1].endswith(FRAME_NOUNS):
        return None
    return next((p for start, p in FRAME_POSSESSIVES.items() if words[0].startswith(start)), None)


def _no_person_between(entities: Sequence[Named], start: int, end: int) -> bool:
    return not any(entities[i].label == "PER" for i in starting_in(entities, start, end) if entities[i].start >= start)


def _pronoun_referent(
    text: str, entities: Sequence[Named], before: int, may_be: Callable[[int], bool], subjects_first: bool = True
) -> int | None:
    """The person named last before `before` that the pronoun may refer to, of the last few named; with
    `subjects_first`, one named in a prepositional phrase only when no other may be ("Die Versuche der
    Regierung, unter Robert Mugabe die Macht zu halten, bezeichnete er …": not Mugabe, who is no subject)."""
    people = range(starting_in(entities, before, before).stop)  # the entities that start before it, or at it
    named_before = (i for i in reversed(people) if entities[i].end <= before and entities[i].label == "PER")
    candidates = [i for i in itertools.islice(named_before, _PRONOUN_REACH) if may_be(i)]
    if not subjects_first:
        return candidates[0] if candidates else None
    subjects = (
        i
        for i in candidates
        # "der UN-Hochkommissar für Menschenrechte, Said Raad al-Hussein": a name after a comma is apposed
        if text[: entities[i].start].rstrip().endswith(",") or not in_a_prepositional_phrase(text, entities[i].start)
    )
    return next(subjects, candidates[0] if candidates else None)


# How many persons named before a pronoun it may refer to, the last first: past the persons of the other
# gender among them, not to anyone named further back.
_PRONOUN_REACH = 5
