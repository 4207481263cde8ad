"""Indirect speech: after a cue ("Er sagte, dass …"), around a frame ("Laut X …"), before "so X", a verb of saying alone."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from textlake.nlp.quotes.clauses import WORD, clause_comma, start_of_clause, stripped, word_count
from textlake.nlp.quotes.cues import is_cue
from textlake.nlp.quotes.found import any_overlapping
from textlake.nlp.quotes.frames import find_frame
from textlake.nlp.quotes.lexicon import (
    BACK_REFERENCES,
    CLAUSE_CONJUNCTIONS,
    CLAUSE_OPENERS,
    FRAME_NOUN_PREPOSITIONS,
    FRAME_POSTPOSITIONS,
    NOT_REPORTING_ALONE,
    OWN,
    PREPOSITIONS,
    QUOTING_VERBS,
    RELATIVE_PRONOUNS,
    SENTENCE_SUBJECTS,
    SOURCE_CLAUSE_OPENERS,
    SOURCE_MARKERS,
    SUBJECT_OPENERS,
    SUBJUNCTIVE,
    SUBJUNCTIVE_TWO,
)
from textlake.nlp.quotes.positions import starting_in
from textlake.nlp.quotes.quotation import Named, Quotation, Sentence, Speaker, Words, new_quotation
from textlake.nlp.quotes.speakers import (
    entity_in,
    first_noun_phrase,
    mention_in,
    name_before_its_role,
    only_a_noun_phrase,
    opens_an_apposition,
    verb_subject,
)


def before_a_semicolon(text: str, quotation: Quotation) -> Quotation:
    """Indirect speech ends at a semicolon when what follows is not in the subjunctive: the writer's next
    clause ("…, sich dort unsicher zu fühlen; vor allem Frauen meiden den Platz")."""
    start, end = quotation.parts[0]
    semicolon = text.find(";", start, end)
    if semicolon == -1 or len(quotation.parts) > 1:
        return quotation
    if any(word in SUBJUNCTIVE or word in SUBJUNCTIVE_TWO for word in WORD.findall(text, semicolon, end)):
        return quotation  # the speech goes on after it: "…, dass Nadal stark war; seine Art habe ihn überrascht"
    return dataclasses.replace(quotation, parts=(stripped(text, start, semicolon),))


def said_in_sentence_before(
    text: str,
    sentences: Sequence[Sentence],
    ordinal: int,
    words: Words,
    found: Sequence[Quotation],
    entities: Sequence[Named],
) -> Quotation | None:
    """ "Die Enten waren mit H5N1 infiziert. Das erklärte ein Sprecher des Ministeriums.": the sentence
    before is indirect speech, its speaker the subject after the verb; unless a quotation has it already."""
    if ordinal == 0 or len(words) < 3 or words[0].text not in BACK_REFERENCES or not is_cue(words, 1):
        return None
    before = sentences[ordinal - 1]
    if word_count(text, (before.start, before.end)) < 4 or any_overlapping(found, before.start, before.end):
        return None
    cue = (words[1].start, words[1].end)
    end = sentences[ordinal].end
    # the subject follows the verb, past adverbs ("Das erklärte gestern ein Sprecher"): a person or an
    # organisation named there, else the first noun phrase
    named = entity_in(entities, cue[1], end)
    speaker: Speaker | None = None
    if named is not None and entities[named].label in ("PER", "ORG"):
        speaker = (entities[named].start, entities[named].end), named
    else:
        opener = next((w for w in words[2:] if w.text.lower() in SUBJECT_OPENERS or w.text[:1].isupper()), None)
        phrase = first_noun_phrase(text, opener.start, end) if opener is not None else None
        speaker = (phrase, None) if phrase is not None else None
    return new_quotation((stripped(text, before.start, before.end),), "indirect", ordinal - 1, cue, speaker)


def reported(text: str, sentence: Sentence, ordinal: int, words: Words, entities: Sequence[Named]) -> list[Quotation]:
    """A verb of saying with no clause ("X kritisierte die Entscheidung."): the sentence, when its subject
    is a name before the verb or a noun phrase the sentence opens with."""
    cue_index = next((i for i in range(len(words)) if is_cue(words, i)), None) if len(words) >= 5 else None
    if cue_index is None or words[cue_index].text.lower().startswith(NOT_REPORTING_ALONE):
        return []
    span = stripped(text, sentence.start, sentence.end)
    cue = (words[cue_index].start, words[cue_index].end)
    # "Artur Ionita, der beim Klub Hellas Verona spielt, sagte ab": the name the sentence opens with
    subject = _name_with_its_clause(text, span[0], entities)
    if subject is None:
        subject = entity_in(entities, sentence.start, cue[0], last=True)
    if subject is not None and entities[subject].label in ("PER", "ORG"):
        return [
            new_quotation(
                (span,), "reported", ordinal, cue, ((entities[subject].start, entities[subject].end), subject)
            )
        ]
    if cue_index and words[0].text in SENTENCE_SUBJECTS:
        # "Die Polizei geht von Suizid aus.", "Andere Medien berichten von 13 Toten."
        phrase = first_noun_phrase(text, sentence.start, cue[0])
        if phrase is not None:
            return [new_quotation((span,), "reported", ordinal, cue, (phrase, None))]
    return []


def indirect_in(
    text: str, sentence: Sentence, ordinal: int, words: Words, entities: Sequence[Named]
) -> list[Quotation]:
    """Indirect speech in a sentence: the first of the rules below that finds some."""
    if len(words) < 4:
        return []
    lower = [w.text.lower() for w in words]
    for rule in (_around_a_frame, _after_wie, _beside_a_cue_verb, _in_a_clause, _before_so):
        found = rule(text, sentence, ordinal, words, lower, entities)
        if found is not None:
            return found
    return []


def _around_a_frame(
    text: str, sentence: Sentence, ordinal: int, words: Words, lower: Sequence[str], entities: Sequence[Named]
) -> list[Quotation] | None:
    """A frame anywhere in the sentence: "Laut X", "nach Angaben (von) X", "X zufolge", "gemäß X",
    "Demnach": the quotation is the sentence around it (in two parts when the frame stands inside)."""
    frame = find_frame(words, lower)
    if frame is None:
        return None
    first, last, speaker_first, speaker_last = frame
    speaker = (
        mention_in(text, words[speaker_first].start, words[speaker_last].end, entities)
        if speaker_first <= speaker_last
        else None
    )
    if lower[speaker_first] in OWN:  # "nach eigenen Angaben": the mention, standing for the subject named
        subject = next(
            (
                i
                for i in starting_in(entities, sentence.start, sentence.end)
                if sentence.start <= entities[i].start < sentence.end and entities[i].label in ("PER", "ORG")
            ),
            None,
        )
        speaker = ((words[speaker_first].start, words[speaker_last].end), subject)
    parts = tuple(
        part
        for part in (stripped(text, sentence.start, words[first].start), stripped(text, words[last].end, sentence.end))
        if word_count(text, part) >= 2
    )
    cue_index = first if lower[first] not in FRAME_POSTPOSITIONS and lower[last] not in FRAME_POSTPOSITIONS else last
    cue = (words[cue_index].start, words[cue_index].end)
    if lower[first] in FRAME_NOUN_PREPOSITIONS:
        cue = (words[first].start, words[first].end)
    return [new_quotation(parts, "indirect", ordinal, cue, speaker)] if parts else []


def _after_wie(
    text: str, sentence: Sentence, ordinal: int, words: Words, lower: Sequence[str], entities: Sequence[Named]
) -> list[Quotation] | None:
    """ "Wie X mitteilte, …": the quotation follows the frame's comma."""
    if lower[0] not in SOURCE_CLAUSE_OPENERS:
        return None
    comma = clause_comma(text, words[0].end, sentence.end)
    if comma == -1:
        return None
    verb = next((i for i, w in enumerate(words) if w.start < comma and is_cue(words, i)), None)
    if verb is None:
        return None
    speaker = mention_in(text, words[1].start, words[verb].start, entities)
    span = stripped(text, comma + 1, sentence.end)
    return [new_quotation((span,), "indirect", ordinal, (words[verb].start, words[verb].end), speaker)]


def _beside_a_cue_verb(
    text: str, sentence: Sentence, ordinal: int, words: Words, lower: Sequence[str], entities: Sequence[Named]
) -> list[Quotation] | None:
    """ "…, sagte X." (the cue after the quotation) and "X sagte, (dass) …" (the quotation after the
    cue's comma), for the first verb of saying that makes either."""
    for index in range(len(words)):
        if not is_cue(words, index):
            continue
        cue = (words[index].start, words[index].end)
        comma_after = clause_comma(text, words[index].end, sentence.end)
        comma_before = clause_comma(text, sentence.start, words[index].start, last=True)
        # after the quotation: near the sentence's end, or right after a clause in the subjunctive ("Sie
        # seien außer Gefahr, sagte X, der Sprecher der …")
        tail_words = [w for w in words if w.start > words[index].end]
        near_the_end = comma_before != -1 and len(tail_words) <= 8 and comma_after == -1
        right_after = comma_before != -1 and not text[comma_before + 1 : words[index].start].strip()
        reported_before = any(w.text in SUBJUNCTIVE for w in words if w.end <= comma_before)
        if near_the_end or (right_after and reported_before and not text[words[index].end :].startswith(",")):
            span = stripped(text, sentence.start, comma_before)
            # "…, sagte X." or, the verb last, "…, wie die Polizei mitteilte."
            speaker = (
                mention_in(text, words[index].end, sentence.end, entities)
                or name_before_its_role(text, comma_before + 1, words[index].start, entities)
                or mention_in(text, comma_before + 1, words[index].start, entities)
            )
            # not when what stands before the comma is only a name ("Anja Hajduk, Sprecherin der …, sagte:"),
            # or a name and the clause about it ("Celebi, die … vertritt, nennt das einen Skandal")
            if (
                word_count(text, span) >= 3
                and not only_a_noun_phrase(text, span)
                and not (
                    right_after and not reported_before and _name_with_its_clause(text, span[0], entities) is not None
                )
            ):
                return [new_quotation((span,), "indirect", ordinal, cue, speaker)]
        if comma_after != -1 and len([w for w in words if words[index].end <= w.start < comma_after]) <= 5:
            span = stripped(text, comma_after + 1, sentence.end)
            if word_count(text, span) >= 3:
                # "…, von dem die Polizei glaubt, er sei …": the subject of the relative clause the cue is in
                # (not of "…, den die New York Times zitiert, kommentierte, …": the one quoted speaks)
                clause_start = (
                    _past_a_relative_pronoun(text, start_of_clause(text, sentence.start, cue[0]), cue[0])
                    if not words[index].text.startswith(QUOTING_VERBS)
                    else None
                )
                speaker = verb_subject(text, clause_start or sentence.start, cue, comma_after, entities)
                return [new_quotation((span,), "indirect", ordinal, cue, speaker)]
    return None


def _past_a_relative_pronoun(text: str, clause_start: int, cue: int) -> int | None:
    """Where the clause's subject begins when the clause opens with a relative pronoun as its object, a
    preposition before it or not ("von dem die Polizei glaubt", "dem die Anklage vorwirft"); else None."""
    words = list(WORD.finditer(text, clause_start, cue))[:3]
    at = 1 if words and words[0].group(0) in PREPOSITIONS else 0
    if len(words) > at + 1 and words[at].group(0) in RELATIVE_PRONOUNS:
        return words[at].end()
    return None


def _name_with_its_clause(text: str, start: int, entities: Sequence[Named]) -> int | None:
    """The person or organisation the text at `start` opens with when a comma and a clause or an apposition
    about it follow ("Celebi, die …", "Anja Hajduk, Sprecherin der …"): the subject, not what it said."""
    first = next((i for i in starting_in(entities, start, start) if entities[i].start == start), None)
    if (
        first is None
        or entities[first].label not in ("PER", "ORG")
        or text[entities[first].end : entities[first].end + 1] != ","
    ):
        return None
    after = WORD.search(text, entities[first].end)
    return first if after is not None and opens_an_apposition(after.group(0)) else None


def _in_a_clause(
    text: str, sentence: Sentence, ordinal: int, words: Words, lower: Sequence[str], entities: Sequence[Named]
) -> list[Quotation] | None:
    """ "X fürchtet, dass …" / "…, ob …": a that- or whether-clause after a cue, or in the subjunctive."""
    for index, word in enumerate(lower):
        if (
            word not in CLAUSE_CONJUNCTIONS
            or index <= 1
            or text[words[index - 1].end : words[index].start].strip() != ","
        ):
            continue
        verb = next((i for i in range(index) if is_cue(words, i)), None)
        if verb is None and lower[index - 1] in CLAUSE_OPENERS:
            verb = index - 1  # "… gaben bekannt, dass", "… gehen davon aus, dass", "… hält es für möglich, dass"
        if verb is None and not any(w in SUBJUNCTIVE for w in lower[index + 1 :]):
            continue
        span = stripped(text, words[index].start, sentence.end)
        if verb is None:
            speaker = mention_in(text, sentence.start, words[index].start, entities)
            return [new_quotation((span,), "indirect", ordinal, None, speaker)]
        verb_span = (words[verb].start, words[verb].end)
        clause_start = start_of_clause(text, sentence.start, verb_span[0])
        speaker = verb_subject(text, clause_start, verb_span, words[index].start, entities, sentence.start)
        return [new_quotation((span,), "indirect", ordinal, verb_span, speaker)]
    return None


def _before_so(
    text: str, sentence: Sentence, ordinal: int, words: Words, lower: Sequence[str], entities: Sequence[Named]
) -> list[Quotation] | None:
    """ "…, so X." at the sentence's end."""
    for index in range(len(words) - 1, max(len(words) - 16, 0), -1):
        comma = clause_comma(text, sentence.start, words[index].start, last=True)
        subject_follows = index + 1 < len(words) and (
            words[index + 1].text[:1].isupper() or lower[index + 1] in SUBJECT_OPENERS
        )  # "…, so der Sprecher", not "…, so sind Rucksäcke verboten"
        if (
            lower[index] in SOURCE_MARKERS
            and subject_follows
            and comma > sentence.start
            and not text[comma + 1 : words[index].start].strip()
        ):
            span = stripped(text, sentence.start, comma)
            speaker = mention_in(text, words[index].end, sentence.end, entities)
            return [new_quotation((span,), "indirect", ordinal, (words[index].start, words[index].end), speaker)]
    return None
