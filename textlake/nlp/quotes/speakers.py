"""Who speaks: the subject of a cue, the source of a frame, the mention a pronoun or a role refers to."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from textlake.nlp.canonical import is_role
from textlake.nlp.quotes.addressees import addressed
from textlake.nlp.quotes.clauses import WORD, clause_comma, start_of_clause, stripped
from textlake.nlp.quotes.frames import find_frame
from textlake.nlp.quotes.lexicon import (
    ADJECTIVE_ENDINGS,
    APPOSITION_OPENERS,
    CLASS_NOUNS,
    LEADING,
    NOUN_PHRASE_WORDS,
    OBJECT_POSSESSIVES,
    PREPOSITIONS,
    PRONOUNS,
    PRONOUNS_AFTER_THE_VERB,
    REFLEXIVE,
    SENTENCE_SUBJECTS,
    SOURCE_MARKERS,
    SUBJECT_OPENERS,
)
from textlake.nlp.quotes.naming import in_a_prepositional_phrase
from textlake.nlp.quotes.positions import overlapping, starting_in
from textlake.nlp.quotes.quotation import Named, Sentence, Span, Speaker, Word, Words
from textlake.nlp.wordlists import FEMININE_ENDINGS


def person_entity_at(entities: Sequence[Named], word: Word) -> int | None:
    """The person entity the word belongs to."""
    return next(
        (
            i
            for i in overlapping(entities, word.start, word.start + 1)
            if entities[i].start <= word.start < entities[i].end and entities[i].label == "PER"
        ),
        None,
    )


def entity_at(entities: Sequence[Named], at: int, end: int | None = None) -> int | None:
    """The first entity that starts exactly at `at` (and ends by `end`, when given)."""
    return next(
        (
            i
            for i in starting_in(entities, at, at)
            if entities[i].start == at and (end is None or entities[i].end <= end)
        ),
        None,
    )


def entity_in(
    entities: Sequence[Named], start: int, end: int, last: bool = False, skip: Callable[[Named], bool] | None = None
) -> int | None:
    """The entity (a person or organisation first) inside start..end: the last one when `last`; none
    that `skip` says no to."""
    inside = [
        i
        for i in starting_in(entities, start, end)
        if start <= entities[i].start
        and entities[i].end <= end
        and entities[i].label != "MISC"
        and not (skip is not None and skip(entities[i]))
    ]
    if not inside:
        return None
    # a person first: "Alan Stern, Direktor des Missionsrats der NASA, betont": Alan Stern
    people = (
        [i for i in inside if entities[i].label == "PER"] or [i for i in inside if entities[i].label == "ORG"] or inside
    )
    return people[-1] if last else people[0]


def first_noun_phrase(text: str, start: int, end: int) -> Span | None:
    """The first noun phrase in start..end, read as: articles, adjectives and capitalised words up to the
    first other lower-case word ("Die Firma", "Ein WWF-Sprecher", "der innenpolitische Sprecher der SPD")."""
    words = [m for m in WORD.finditer(text, start, end)]
    while words and words[0].group(0).lower() in LEADING:
        words = words[1:]
    taken: list[re.Match[str]] = []
    for index, match in enumerate(words):
        word = match.group(0)
        if word.lower() in OBJECT_POSSESSIVES and any(m.group(0)[:1].isupper() for m in taken):
            break  # "der brasilianische Präsident seine Position": the object's phrase
        if word[:1].isupper() or word.lower() in NOUN_PHRASE_WORDS:
            taken.append(match)
        elif word[:1].islower() and word.endswith(ADJECTIVE_ENDINGS) and _noun_follows(words, index + 1):
            taken.append(match)  # an adjective before its noun ("der autoritäre, belarussische Machthaber")
        else:
            break
    while taken and (taken[-1].group(0).lower() in NOUN_PHRASE_WORDS):
        taken.pop()
    if not taken or not any(m.group(0)[:1].isupper() for m in taken):
        return None
    return taken[0].start(), taken[-1].end()


def only_a_noun_phrase(text: str, span: Span) -> bool:
    """Nothing in the span but capitalised words, numbers, commas and the little words of noun phrases."""
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in NOUN_PHRASE_WORDS
               for w in WORD.findall(text, span[0], span[1]))  # fmt: skip


def _noun_follows(words: Sequence[re.Match[str]], index: int) -> bool:
    """A capitalised word follows, after nothing but adjectives."""
    for match in words[index : index + 4]:
        word = match.group(0)
        if word[:1].isupper():
            return True
        if not word.endswith(ADJECTIVE_ENDINGS):
            return False
    return False


def mention_in(text: str, start: int, end: int, entities: Sequence[Named], last: bool = False) -> Speaker | None:
    """The speaker mention inside start..end: an entity, else a pronoun, else the noun phrase there."""
    # "sagt er zum STANDARD", "sagte sie dem Sender": whom the speech is addressed to does not speak
    entity = entity_in(entities, start, end, last, skip=lambda e: addressed(text, start, e.start, e.end))
    if entity is not None and entities[entity].label == "LOC":
        place = entities[entity].start
        in_a_name = _in_a_name_after_its_kind(text, start, place)
        # "wie das Verteidigungsministerium in Kabul mitteilte", "der Zeitung The Jakarta Post": the
        # phrase, not the place in it; a name's phrase ends with the name ("die Zeitung USA Today am …")
        phrase = first_noun_phrase(text, start, end) if in_a_name or in_a_prepositional_phrase(text, place) else None
        if phrase is not None and phrase[0] < place:
            return (phrase[0], min(phrase[1], _end_of_the_name(text, place))) if in_a_name else phrase, None
    if entity is not None:
        entity = _past_a_role_taken_for_a_person(text, entity, entities, end)
        return (entities[entity].start, entities[entity].end), entity
    for match in WORD.finditer(text, start, end):
        if match.group(0) in PRONOUNS:
            return match.span(), None
    phrase = first_noun_phrase(text, start, end) or stripped(text, start, end)
    return (phrase, None) if phrase[1] - phrase[0] >= 2 else None


def _in_a_name_after_its_kind(text: str, start: int, place: int) -> bool:
    """The place at `place` is a word of a name written after a word for its kind, capitalised words alone
    between ("der Zeitung The Jakarta Post", "des Senders Radio Free Europe")."""
    for word in reversed(WORD.findall(text, start, place)):
        if word.lower().rstrip("s").endswith(CLASS_NOUNS):
            return True
        if not word[:1].isupper():
            return False
    return False


def _end_of_the_name(text: str, start: int) -> int:
    """The end of the capitalised words from `start` on, nothing but spaces and quotation marks between."""
    end = start
    for word in WORD.finditer(text, start):
        if not (word.group(0)[:1].isupper() or word.group(0)[:1].isdigit()) or text[end : word.start()].strip(' „“"'):
            break
        end = word.end()
    return end


def _past_a_role_taken_for_a_person(text: str, entity: int, entities: Sequence[Named], end: int) -> int:
    """The person right after a role word the recogniser tagged as a person too ("sagt Kapfenberg-Coach
    Michael Schrittwieser": Michael Schrittwieser), else the entity itself."""
    written = text[entities[entity].start : entities[entity].end]
    if entities[entity].label != "PER" or " " in written or not is_role(written):
        return entity
    after = entities[entity].end + 1
    following = entity_at(entities, after, end)
    if following is not None and entities[following].label == "PER":
        return following
    return entity


def verb_subject(
    text: str, clause_start: int, cue: Span, clause_end: int, entities: Sequence[Named], sentence_start: int = -1
) -> Speaker | None:
    """Who the cue verb's subject is. German puts the verb second: when the clause opens with its subject
    ("Die Ministerin bezeichnete …", "Er sagte …", "Anna Berg sagte …") that is the speaker; when it
    opens with anything else ("Später sagte Merkel", "…, sagte ein Sprecher") the subject follows the verb."""
    verb_end = cue[1]
    after = WORD.search(text, verb_end, clause_end)
    if after is not None and after.group(0) in REFLEXIVE:  # "äußerte sich der Chef"
        verb_end = after.end()
        after = WORD.search(text, verb_end, clause_end)
    right_after = after is not None and not text[verb_end : after.start()].strip(" ")
    if right_after and after is not None and after.group(0) in PRONOUNS_AFTER_THE_VERB:
        return after.span(), None  # "Der Politik schlug er vor": a pronoun right after the verb is its subject
    opening = opening_subject(text, clause_start, cue[0], entities)
    if opening is not None:
        return opening
    named = name_before_its_role(text, clause_start, cue[0], entities)
    if named is not None:
        return named
    if right_after and after is not None:
        word = after.group(0)
        entity = entity_at(entities, after.start())
        if entity is not None:
            return (entities[entity].start, entities[entity].end), entity
        if word in PRONOUNS:
            return after.span(), None
        if word.lower() in SUBJECT_OPENERS or word[:1].isupper():  # "So erklärte FDP-Finanzexperte Jürgen Koppelin"
            phrase = first_noun_phrase(text, after.start(), clause_end)
            if phrase is not None:
                return phrase, entity_in(entities, phrase[0], phrase[1], last=True)
    if sentence_start >= 0 and not text[clause_start : cue[0]].strip():  # "X, der Y, sagte"
        return _before_an_apposition(text, sentence_start, clause_start - 1, entities)
    if _opens_with_a_dative(text, clause_start, cue[0]):
        return None  # "Der Regierung … unter der Führung von Erdoğan wird vorgeworfen": no subject named
    return mention_in(text, clause_start, cue[0], entities, last=True)


def opening_subject(text: str, start: int, end: int, entities: Sequence[Named]) -> Speaker | None:
    """The subject a clause opens with, before `end`: a pronoun, a name, or a noun phrase with an article."""
    first = WORD.search(text, start, end)
    if first is None:
        return None
    if first.group(0) in PRONOUNS:
        return first.span(), None
    named = _person_after_roles(text, first, end, entities)
    if named is not None:  # "EADS-Vorstandsvorsitzender Louis Gallois", "Firtaschs Anwalt Dieter Böhmdorfer"
        return (first.start(), entities[named].end), named
    entity = entity_at(entities, first.start(), end)
    if entity is not None and entities[entity].label in ("PER", "ORG"):
        return (entities[entity].start, entities[entity].end), entity
    if first.group(0) in SENTENCE_SUBJECTS:
        phrase = first_noun_phrase(text, first.start(), end)
        if phrase is not None and _opens_with_a_dative(text, start, end):
            return None  # "Der englischsprachigen Zeitung sagte Filep Karma": the subject follows the verb
        if phrase is not None:
            named = entity_in(entities, phrase[0], phrase[1], last=True)
            if named is not None and entities[named].label != "PER":
                named = None
            return phrase, named
    return None


def _opens_with_a_dative(text: str, start: int, end: int) -> bool:
    """Whether the clause opens with "Der" and a phrase that is no subject: one with an adjective ending in
    "-en" ("Der englischsprachigen …") or a feminine noun ("Der Zeitung", "Der Nachrichtenagentur APA"), a
    dative or a genitive."""
    first = WORD.search(text, start, end)
    phrase = first_noun_phrase(text, first.start(), end) if first is not None and first.group(0) == "Der" else None
    words: list[str] = WORD.findall(text, phrase[0], phrase[1])[1:] if phrase is not None else []
    for word in words:
        if word[:1].isupper():
            return word.lower().endswith(FEMININE_ENDINGS)
        if word in NOUN_PHRASE_WORDS or word in PREPOSITIONS:
            return False  # "Der in den USA lebende Schriftsteller": a phrase inside, not the article's case
        if word.endswith("en"):
            return True
    return False


def name_before_its_role(text: str, clause_start: int, end: int, entities: Sequence[Named]) -> Speaker | None:
    """The person right before the comma that opens a clause of their role, with no comma closing it
    before the verb: "Martin Behrsing, Sprecher des Erwerbslosen Forum Deutschland kommentierte", "wie
    Alan Stern, Direktor des Missionsrats der NASA betont": the person, not the place or body in the role."""
    comma = len(text[:clause_start].rstrip()) - 1
    first = WORD.search(text, clause_start, end)
    if comma < 0 or text[comma] != "," or first is None or not text[clause_start : first.start()].isspace():
        return None
    if not (first.group(0)[:1].isupper() and is_role(first.group(0))):
        return None
    person = next(
        (i for i in overlapping(entities, comma - 1, comma) if entities[i].end == comma and entities[i].label == "PER"),
        None,
    )
    return ((entities[person].start, entities[person].end), person) if person is not None else None


def _person_after_roles(text: str, first: re.Match[str], end: int, entities: Sequence[Named]) -> int | None:
    """The person a clause opens with behind up to three words of role and origin ("EADS-Chef Louis
    Gallois", "Australiens Ministerpräsidentin Julia Gillard"): at least one a role, the others roles
    or names in the genitive."""
    words = [first]
    while len(words) <= 3:
        next_start = words[-1].end() + 1
        at = entity_at(entities, next_start, end)
        if at is not None and entities[at].label == "PER":
            roles = [w.group(0) for w in words]
            if any(is_role(w) for w in roles) and all(is_role(w) or w[:1].isupper() and w.endswith("s") for w in roles):
                return at
            return None
        following = WORD.search(text, words[-1].end(), end)
        if following is None or following.start() != words[-1].end() + 1:
            return None
        words.append(following)
    return None


def opens_an_apposition(word: str) -> bool:
    """Whether a word after a name and a comma opens an apposition or a clause about it: an article or a
    relative pronoun ("Andres Granier, der Gouverneur …"), "seines/ihres" ("seines Zeichens"), or a role
    ("Gabriela Schimmer-Göresz, Vorsitzende des ödp-Kreisverbandes, …")."""
    return word in APPOSITION_OPENERS or (word[:1].isupper() and is_role(word))


def _before_an_apposition(
    text: str, sentence_start: int, closing_comma: int, entities: Sequence[Named]
) -> Speaker | None:
    """The name before an apposition that ends right before the verb: "Andres Granier, der Gouverneur
    von Tabasco, sagte", "Barry Steinhardt, seines Zeichens Direktor der ACLU, warnte": the name."""
    opening = clause_comma(text, sentence_start, closing_comma, last=True)
    first = WORD.search(text, opening + 1, closing_comma) if opening != -1 else None
    if first is None:
        return None
    # "Der Leiter des Programms, Klaus Stöhr, sagte": the apposition is the name
    named = entity_in(entities, opening + 1, closing_comma)
    if named is not None and entities[named].label == "PER":
        name = entities[named]
        after_the_name = text[name.end : closing_comma]  # nothing, or a party: "Sandra Boser (Grüne),"
        if not text[opening + 1 : name.start].strip() and re.fullmatch(r"\s*(\([^()]*\))?\s*", after_the_name):
            return (name.start, name.end), named
    if not opens_an_apposition(first.group(0)):
        return None
    clause_start = start_of_clause(text, sentence_start, opening)
    if text[clause_start:opening].split(" ", 2)[:2] == ["", "und"]:  # "X, Rolle, und Y, Rolle, sagten": X first
        return mention_in(text, sentence_start, opening, entities)
    return mention_in(text, clause_start, opening, entities, last=True)


def speaker_near(
    text: str,
    sentence: Sentence,
    quoted: Span,
    outside: Sequence[Word],
    cue: Span | None,
    entities: Sequence[Named],
    before: Speaker,
) -> Speaker | None:
    """The speaker of a direct quotation: the subject of its cue, or with no verb of saying the source it
    is attributed to; the clause before a colon; the subject the sentence opens with; the speaker of the
    quotation just before; a name in the sentence."""
    if not outside:
        return before
    start, end = outside[0].start, outside[-1].end
    if cue is None:
        source = _source(text, sentence, quoted, outside, entities)
        if source is not None:
            return source
    if cue is not None:
        ends = [c for c in (text.find(mark, cue[1], sentence.end) for mark in ':„“"') if c != -1]
        clause_end = min(ends, default=sentence.end)
        clause_start = start_of_clause(text, sentence.start, cue[0])
        if quoted[1] <= cue[0]:  # „…“ erklärte X: the subject is not inside the quotation
            clause_start = max(clause_start, quoted[1])
        found = verb_subject(text, clause_start, cue, min(clause_end, sentence.end), entities, sentence.start)
        if found is not None:
            return found
    if outside[0].text in PRONOUNS:  # "Er ersuchte Putin, eine „symmetrische Antwort“ …": the subject
        return (outside[0].start, outside[0].end), None
    colon = text.rfind(":", sentence.start, quoted[0])  # "Paolo hatte mit den Worten abgelehnt: „…“"
    if colon != -1 and (cue is None or cue[0] < colon):
        clause_start = start_of_clause(text, sentence.start, colon)
        # "Dabei griff sie den Präsidenten Ahmadinedschad an:": "er" and "sie" after the verb are its subject
        pronoun = next(
            (w for w in outside if clause_start <= w.start < colon and w.text in PRONOUNS_AFTER_THE_VERB), None
        )
        mention = ((pronoun.start, pronoun.end), None) if pronoun else mention_in(text, clause_start, colon, entities)
        if mention is not None:
            return mention
    opening = opening_subject(text, start, end, entities)  # the first word outside the quotation marks
    if opening is not None:
        return opening
    entity = entity_in(entities, start, end)
    if entity is not None:
        return (entities[entity].start, entities[entity].end), entity
    for w in outside:
        if w.text in PRONOUNS:
            return (w.start, w.end), None
    return before if before[0] is not None else None


_CLAUSE_END = re.compile(r"[.,;:!?„“\"]")


_AFTER_A_COMMA_OR_QUOTE = re.compile(r"[,“\"]\s*$")


def _source(text: str, sentence: Sentence, quoted: Span, outside: Words, entities: Sequence[Named]) -> Speaker | None:
    """Who a quotation with no verb of saying is attributed to: „…“, so X; laut X; nach Angaben X; X
    zufolge. "„Es ist schwer vorstellbar …“, so Lanzer": Lanzer, not the speaker of the sentence before."""
    # "„…“, so X" and "„…“ hätten „…“, so X": after a comma, once the sentence's last quotation is done
    so = next(
        (
            i
            for i, w in enumerate(outside)
            if w.text in SOURCE_MARKERS
            and w.start >= quoted[1]
            and i + 1 < len(outside)
            and _AFTER_A_COMMA_OR_QUOTE.search(text, max(0, w.start - 4), w.start)
        ),
        None,
    )
    if so is not None:
        stop = _CLAUSE_END.search(text, outside[so].end, sentence.end)
        return mention_in(text, outside[so + 1].start, stop.start() if stop else sentence.end, entities)
    # a closing word, so that the frame's noun phrase may run to the last word outside the quotation
    words = [*outside, Word(sentence.end, sentence.end, ".")]
    frame = find_frame(words, [w.text.lower() for w in words])
    if frame is not None and frame[2] <= frame[3]:
        return mention_in(text, words[frame[2]].start, words[frame[3]].end, entities)
    return None
