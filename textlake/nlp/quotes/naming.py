"""Whom a speaker mention names: the person or organisation an analyst groups quotations by.

The rule (README, "Who said it"): the named person, by the full name the document gives them; else the
organisation, institution or medium as the document names it, with its qualifier ("Polizei", "Berliner
Staatsanwaltschaft", "Fars"); an unnamed spokesperson or representative speaks for whom the text names
with the role ("ein Sprecher des Finanzministeriums": Finanzministerium), a named one is the person; a
place only as the subject itself ("Russland warnte"), never from a prepositional phrase; nobody when the
text names nobody ("Experten", "ein Sprecher").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from textlake.nlp.canonical import is_role
from textlake.nlp.quotes.addressees import addressed
from textlake.nlp.quotes.clauses import WORD
from textlake.nlp.quotes.institutions import (
    COMPLEMENT,
    DETERMINERS,
    Named,
    PhraseWord,
    adjectives_before,
    after_a_genitive,
    complement_in_the_name,
    ends_with,
    first_part,
    kind_of,
    organisation,
)
from textlake.nlp.quotes.lexicon import (
    ADJECTIVE_ENDINGS,
    CLASS_NOUNS,
    GENERIC_INSTITUTIONS,
    KIND_SYNONYMS,
    OWN_VOICE_ROLES,
    PREPOSITIONS,
    REPRESENTATIVE_ROLES,
    SOURCE_NOUNS,
)
from textlake.nlp.quotes.quotation import INTERVIEW_KINDS, Canonical, Quotation, Span
from textlake.nlp.quotes.roles import (
    DEFINITE,
    Document,
    holder_of_the_role,
    nationality,
    office_of_the_role,
    organisation_in_the_genitive,
    person_in_the_genitive,
    person_of_the_surname,
    the_one_named,
)
from textlake.nlp.quotes.sources import (
    quotation_just_before,
    representative_before,
    source_named_before,
    stands_for_a_source,
)
from textlake.nlp.wordlists import FEMININE_ENDINGS

_INDEFINITE = frozenset("ein eine eines einer einem einen".split())
_IN_A_NAME = frozenset("für und".split())  # "Schutzvereinigung für Wertpapierbesitz"
_QUOTES = "„“”\"»«‚‘’'"
_LONGEST_PHRASE = 14  # words


def name_speakers(
    text: str, quotations: Sequence[Quotation], entities: Sequence[Canonical], sentences: Sequence[Span] = ()
) -> list[Quotation]:
    """Each quotation with `speaker_name` and `speaker_label` set, and `speaker_entity` the entity named
    (None when the mention names an organisation no entity is, or nobody)."""
    document = Document(text, entities)
    named: list[Quotation] = []
    for quotation in quotations:
        found = _speaker_named(document, quotation) if quotation.speaker is not None else None
        if found is None and stands_for_a_source(text, quotation):
            found = _source_before(document, named, quotation, sentences)
        if found is None and (representative := representative_before(text, named, quotation)) is not None:
            found = _named_as(representative)  # "Ein Polizeisprecher sagte, …. Er fügte hinzu": the police
        name, label, entity = found if found is not None else (None, None, None)
        named.append(replace(quotation, speaker_name=name, speaker_label=label, speaker_entity=entity))
    return named


def _named_as(quotation: Quotation) -> Named | None:
    if quotation.speaker_name is None or quotation.speaker_label is None:
        return None
    return quotation.speaker_name, quotation.speaker_label, quotation.speaker_entity


def _source_before(
    document: Document, named: Sequence[Quotation], quotation: Quotation, sentences: Sequence[Span]
) -> Named | None:
    """Whom "demnach" or "hieß es" stands for: the quotation just before, else the source the sentence
    before names ("Ein Bericht des Wirtschaftsmagazins Nikkei …. Demnach")."""
    before = quotation_just_before(named, quotation)
    if before is not None:
        return _named_as(before)
    if not 0 < quotation.sentence < len(sentences):
        return None
    phrase = source_named_before(document.text, sentences[quotation.sentence - 1])
    if phrase is None:
        return None
    return _name_of_phrase(document, _phrase(document, *phrase), complement=True)


def _speaker_named(document: Document, quotation: Quotation) -> Named | None:
    text, entities = document.text, document.entities
    assert quotation.speaker is not None
    start, end = quotation.speaker
    entity = quotation.speaker_entity
    if quotation.kind in INTERVIEW_KINDS:  # a turn opens with a name: "Zeidler: …", a person or a medium
        if entity is not None and entities[entity].label in ("PER", "ORG"):
            return entities[entity].canonical, entities[entity].label, entity
        written = text[start:end]  # "Landau: …" is Michael Landau, whatever the recogniser took it for
        person = person_of_the_surname(document, written, start) if not written.isupper() else None
        if person is not None and " " in entities[person].canonical:  # the full name, not the surname again
            return entities[person].canonical, "PER", person
        return written, "ORG" if written.isupper() else "PER", None
    if entity is not None and start < entities[entity].start and entities[entity].end == end:
        if entities[entity].label == "PER" and text[start : entities[entity].start].rstrip().endswith(","):
            # "Der Generaldirektor der … Beteiligungs AG (LLI), Josef Pröll": the name apposed to the role
            return entities[entity].canonical, "PER", entity
    holder = holder_of_the_role(document, start, end)
    if holder is not None:  # "der venezolanische Staatschef": the person the document names in that role
        return entities[holder].canonical, "PER", holder
    owner = person_in_the_genitive(document, start, end)
    if owner is not None:  # "nach Celebis Angaben": Gülsen Celebi, whom the document names
        return entities[owner].canonical, "PER", owner
    owner = organisation_in_the_genitive(document, start, end)
    if owner is not None:  # "Nach Apples Darstellung": Apple
        return entities[owner].canonical, "ORG", owner
    office = office_of_the_role(document, start, end) if entity is None else None
    if office is not None:  # "der Staatsanwalt", no prosecutor named: "die Staatsanwaltschaft München I"
        return office
    if entity is not None and entities[entity].start >= start and entities[entity].end <= end or entity is None:
        # the mention is in the text: read it as a noun phrase, the entities in it included
        phrase = _phrase(document, start, max(end, entities[entity].end if entity is not None else end))
        if entity is not None and entities[entity].label in ("LOC", "MISC") and entities[entity].start == start:
            # "schreibt die belgische Zeitung Le Soir" (the recogniser: LOC): the word for its kind before it
            kind_word = _word_before(document, start)
            if kind_word is not None and kind_of(kind_word) == "class":
                phrase = [kind_word, *phrase]
        return _name_of_phrase(document, phrase)
    # a pronoun or role resolved to an entity elsewhere in the document
    assert entity is not None
    return _entity_named(text, entity, entities)


def _entity_named(text: str, index: int, entities: Sequence[Canonical]) -> Named | None:
    entity = entities[index]
    if entity.label == "PER" and _only_a_role(entity):
        return None
    if entity.label in ("PER", "ORG"):
        return entity.canonical, entity.label, index
    if entity.label == "LOC" and not in_a_prepositional_phrase(text, entity.start) and not _dateline(text, entity):
        return entity.canonical, "LOC", index
    return None


# "Stuttgart/Trier – Ein Mann …", "Sirte – Die Regierung …": where the report was filed, no subject
_DATELINE_AFTER = re.compile(r"(?:/[^\s/–—-]+)*\s+[–—-]\s")


def _dateline(text: str, place: Canonical) -> bool:
    """The place opens its sentence as a dateline: the place (or places) and a dash."""
    opens = not text[: place.start].strip() or text[: place.start].rstrip()[-1:] in ".!?"
    return opens and _DATELINE_AFTER.match(text, place.end) is not None


def _a_source_compound(word: PhraseWord) -> bool:
    """The word is a compound of a source noun with what it names ("Militärangaben", "NASA-Angaben")."""
    return kind_of(word) == "source" and first_part(word.text, SOURCE_NOUNS) is not None


def _word_before(document: Document, start: int) -> PhraseWord | None:
    """The word (as `WORD` reads words) right before `start`, a space between."""
    if document.text[start - 1 : start] != " ":
        return None
    match = next((m for m in reversed(list(WORD.finditer(document.text, max(0, start - 60), start - 1)))), None)
    if match is None or match.end() != start - 1:
        return None
    return PhraseWord(match.start(), match.end(), match.group(0), document.starts.get(match.start()))


def _phrase(document: Document, start: int, end: int) -> list[PhraseWord]:
    """The noun phrase that starts at the mention: its words up to `end` and on to the right over what
    still belongs to it (capitalised words, adjectives, a genitive or "von" complement, a name in
    apposition after a comma: "Angaben des Sprechers des Ministeriums, Roland Eichhorn")."""
    text, starts = document.text, document.starts
    words: list[PhraseWord] = []
    limit = _sentence_end(text, end)
    for match in WORD.finditer(text, start, limit):
        gap = text[words[-1].end : match.start()] if words else ""
        word = PhraseWord(match.start(), match.end(), match.group(0), starts.get(match.start()))
        if words and word.entity is not None and addressed(text, start, word.start, document.entities[word.entity].end):
            while words and words[-1].lower in COMPLEMENT:
                words.pop()  # "ein Heeressprecher der APA": the Heer's, spoken to the APA
            break  # "die Psychotherapeutin zum STANDARD": whom she spoke to is not who spoke
        if match.start() >= end:
            if len(words) >= _LONGEST_PHRASE or not _continues(document, gap, word, words):
                break
        elif gap.strip(" " + _QUOTES + "-") and not _continues(document, gap, word, words):
            break  # punctuation inside the mention (a long mention): the phrase ends there
        words.append(word)
    return words


def _continues(document: Document, gap: str, word: PhraseWord, words: list[PhraseWord]) -> bool:
    between = gap.strip(" " + _QUOTES)
    if between == ",":  # an apposition: a person's name after a comma, or their role right before it
        return word.entity is not None or _role_before_a_person(document, word)
    if between:
        return False
    lower = word.lower
    if word.capitalised or lower in COMPLEMENT or lower in DETERMINERS:
        return not (words and words[-1].lower in COMPLEMENT and lower in PREPOSITIONS)
    if lower in _IN_A_NAME:
        return True
    return lower.endswith(ADJECTIVE_ENDINGS) and bool(words) and words[-1].lower in DETERMINERS | COMPLEMENT


def _role_before_a_person(document: Document, word: PhraseWord) -> bool:
    """ "…, General George Casey": a role word a person's name follows at once (not "…, Vorsitzende des
    Kreisverbandes Memmingen", whose role names no one after it)."""
    if not (word.capitalised and is_role(word.text)):
        return False
    after = document.starts.get(word.end + 1) if document.text[word.end : word.end + 1] == " " else None
    return after is not None and document.entities[after].label == "PER"


def _sentence_end(text: str, end: int) -> int:
    match = re.compile(r"[.!?;:]\s").search(text, end)
    return match.start() if match else len(text)


def _name_of_phrase(document: Document, words: list[PhraseWord], complement: bool = False) -> Named | None:
    """The name a noun phrase gives; `complement` when it stands after a source or a representative
    ("Angaben von n24", "ein Sprecher der ACLU")."""
    text, entities = document.text, document.entities
    indefinite = bool(words) and words[0].lower in _INDEFINITE
    definite = bool(words) and words[0].lower in DEFINITE
    genitive = bool(words) and words[0].lower in ("des", "eines")
    plural = bool(words) and words[0].lower in ("die", "den")  # unless the noun is feminine
    while words and (words[0].lower in DETERMINERS or words[0].lower in COMPLEMENT):
        words = words[1:]
    if not words:
        return None
    person = _person_in(text, words, entities)
    if isinstance(person, tuple):
        return person
    if person:
        return None
    head_at = next((i for i, w in enumerate(words) if w.capitalised and kind_of(w) is not None), None)
    first_entity = next((i for i, w in enumerate(words) if w.entity is not None), None)
    if first_entity is not None and first_entity == head_at and _a_source_compound(words[head_at]):
        first_entity = None  # "nach Militärangaben" tagged a place: the source noun names the military
    if first_entity is not None and (head_at is None or first_entity <= head_at):
        index = words[first_entity].entity
        assert index is not None
        if entities[index].label == "LOC" and in_a_prepositional_phrase(text, entities[index].start):
            return None
        return _entity_named(text, index, entities)
    if head_at is None:
        return _name_without_a_kind(document, words, complement, definite)
    head, rest = words[head_at], words[head_at + 1 :]
    qualifiers = adjectives_before(words, head_at)
    kind = kind_of(head)
    if kind in ("source", "representative"):
        if rest and rest[0].lower in COMPLEMENT:
            return _name_of_phrase(document, rest, complement=True)
        principal = first_part(head.text, SOURCE_NOUNS if kind == "source" else REPRESENTATIVE_ROLES)
        if principal is None:
            return None
        found = organisation(qualifiers, principal, [])
        if not qualifiers and principal.lower() in GENERIC_INSTITUTIONS:
            return the_one_named(document, principal) or found  # "ein Ministeriumssprecher": the one named
        return found
    if kind == "class":
        named = _name_after_its_kind(text, rest, entities)
        if named is not None or not definite or rest and rest[0].capitalised:
            return named
        if plural and not head.lower.endswith(FEMININE_ENDINGS) or any(nationality(w.text) for w in qualifiers):
            return None  # "die Unternehmen" (plural), "der deutsche Konzern": not the one written before
        return _the_one_of_its_kind(document, head)  # "der Konzern", "des Unternehmens"
    names = _leading_capitalised(rest) or complement_in_the_name(head, rest)
    if indefinite and not names:
        return None  # "einer Bauerngewerkschaft": an institution the text does not name
    found = organisation(qualifiers, head.text, names, after_genitive=genitive or after_a_genitive(words, head_at))
    if not qualifiers and not names:  # "das Ministerium": the one ministry the document names, if one
        return the_one_named(document, found[0]) or found
    if not names and all(w.text.islower() and nationality(w.text) is None for w in qualifiers):
        # "der oberste Gerichtshof": an adjective that names no one (no place, no nation), the one court named
        return the_one_named(document, organisation([], head.text, [], after_genitive=genitive)[0]) or found
    return found


def _name_without_a_kind(document: Document, words: list[PhraseWord], complement: bool, definite: bool) -> Named | None:
    """The name of a phrase with no noun of a kind in it: a person's name after a role, an acronym, a
    quoted name; None for any other phrase."""
    name = _leading_capitalised(words)
    if (missed := _name_after_a_role(name, words)) is not None:
        return missed
    acronym = bool(name) and (_written_as_a_name(name[0].text) and not name[0].text[:1].isdigit())
    if acronym and (complement or len(name) == len(words)) and (len(name) == 1 or name[0].text.isupper()):
        # "von n24", "der ACLU", "Der BGH", "der AK Vorratsdatenspeicherung": an acronym opens a name
        return " ".join(w.text for w in name), "ORG", None
    quoted = _quoted_name(document.text, words) if definite else None
    if quoted is not None:
        return quoted, "ORG", None  # "die „Automobilwoche“ in ihrer Onlineausgabe"
    return None


def _name_after_a_role(name: list[PhraseWord], words: list[PhraseWord]) -> Named | None:
    """A person's name the recogniser missed, written after a role as the whole phrase ("Der Flughafenmanager
    Vedat Muftuoglu"): two or three capitalised words, none of them a role or a noun of a kind (an
    institution, a source), after the role word."""
    if len(name) != len(words) or not 3 <= len(name) <= 4 or not is_role(name[0].text):
        return None
    given = name[1:]
    if any(is_role(w.text) or kind_of(w) is not None or w.text.isupper() or "-" in w.text for w in given):
        return None
    return " ".join(w.text for w in given), "PER", None


def _name_after_its_kind(text: str, rest: list[PhraseWord], entities: Sequence[Canonical]) -> Named | None:
    """The name after a word for its kind ("die Plattenfirma Sony-Music"): a person or organisation the
    recogniser found, else an organisation's as written, whatever else the recogniser took it for ("die
    Nachrichtenagentur RIA Novosti": MISC, "die belgische Zeitung Le Soir": LOC, "das Portal meedia.de")."""
    if not rest or not rest[0].capitalised:
        return None
    if rest[0].entity is not None and entities[rest[0].entity].label in ("PER", "ORG"):
        return _entity_named(text, rest[0].entity, entities)
    if rest[0].entity is not None:
        named = entities[rest[0].entity]
        return text[named.start : named.end].strip(_QUOTES + " "), "ORG", None
    return " ".join(w.text for w in _leading_capitalised(rest)), "ORG", None


def _person_in(text: str, words: list[PhraseWord], entities: Sequence[Canonical]) -> Named | bool:
    """A person the phrase names as the speaker: its head ("Hans Meier", "Sprecher Hans Meier") or in
    apposition ("Ein Sprecher, Hans Meier"); one named in a complement speaks only through a
    representative ("ein Sprecher von Hans Meier"), never through a lawyer ("der Anwalt von Hans Meier":
    True, the phrase names nobody who spoke). False when the phrase names no person as speaker."""
    for index, word in enumerate(words):
        if word.entity is None or entities[word.entity].label != "PER":
            continue
        if _only_a_role(entities[word.entity]):
            return True
        if _genitive_before_a_named_role(text, words, index, entities):
            continue  # "Firtaschs Anwalt Dieter Böhmdorfer erklärte": the lawyer speaks, not his client
        apposed = _apposed_person(text, words, index, entities)
        if apposed is not None and any(w.lower in COMPLEMENT for w in words[1:index]):
            # "Der Nachfolger des Airbus-Chefs Christian Streiff, Louis Gallois": the name in apposition
            # names the head; the one in its genitive does not speak
            return entities[apposed].canonical, "PER", apposed
        before = words[index - 1] if index else None
        if before is not None and before.lower in COMPLEMENT:
            roles = [w for w in words[:index] if w.capitalised and is_role(w.text)]
            if roles and ends_with(roles[-1].text, OWN_VOICE_ROLES):
                return True
            if not roles or not ends_with(roles[-1].text, REPRESENTATIVE_ROLES):
                continue
        return entities[word.entity].canonical, "PER", word.entity
    return False


def _genitive_before_a_named_role(
    text: str, words: list[PhraseWord], index: int, entities: Sequence[Canonical]
) -> bool:
    """The person at `index` is in the genitive before a role that another person's name follows."""
    entity = words[index].entity
    assert entity is not None
    rest = [w for w in words[index + 1 :] if w.entity != entity]
    return (
        text[entities[entity].end - 1] == "s"
        and len(rest) >= 2
        and rest[0].capitalised
        and is_role(rest[0].text)
        and any(w.entity is not None and entities[w.entity].label == "PER" for w in rest[1:3])
    )


def _apposed_person(text: str, words: list[PhraseWord], after: int, entities: Sequence[Canonical]) -> int | None:
    """A person after words[after] set off by a comma alone ("…, Louis Gallois")."""
    for index in range(after + 1, len(words)):
        entity = words[index].entity
        if entity is not None and entities[entity].label == "PER":
            if text[words[index - 1].end : words[index].start].strip() == ",":
                return entity
    return None


def _only_a_role(person: Canonical) -> bool:
    """ "Ex-OGH-Präsidentin": a role the recogniser took for a person's name names nobody."""
    return " " not in person.canonical and is_role(person.canonical)


def _the_one_of_its_kind(document: Document, noun: PhraseWord) -> Named | None:
    """ "der Konzern", "des Unternehmens": the one organisation the document writes right after a noun of
    that kind or of a synonym (`KIND_SYNONYMS`: "die Billigfluggesellschaft Ryanair", "der Glücksspielkonzern
    Novomatic") before the mention, with no other organisation named between; a compound ("der
    Softwarekonzern") only after the same compound. None when the document writes none, or several (a name
    the recogniser did not take counts: "der Firma Euryza")."""
    kind = _class_noun(noun.text)
    if kind is None:
        return None
    text, entities = document.text, document.entities
    form, ending = kind
    if form not in document.kinds:
        synonyms = KIND_SYNONYMS.get(ending, (ending,)) if form == ending else ()
        written: list[tuple[int, Named]] = []
        for word in _CAPITALISED.finditer(text):
            kind = _class_noun(word.group(0))
            if kind is None or not (kind[0] == form or kind[1] in synonyms) or not text.startswith(" ", word.end()):
                continue
            index = document.starts.get(word.end() + 1)
            if index is None:  # a capitalised word the recogniser took for no name: a name, maybe, or a noun
                other = _CAPITALISED.match(text, word.end() + 1)  # ("das Unternehmen Verluste schreibt")
                named: Named | None = (other.group(0), "", None) if other is not None else None
            elif entities[index].label in ("PER", "ORG"):
                named = _entity_named(text, index, entities)
            else:  # "die Nachrichtenagentur RIA Novosti" (MISC): the organisation as written
                named = text[entities[index].start : entities[index].end].strip(_QUOTES + " "), "ORG", None
            if named is not None:
                written.append((word.start(), named))
        document.kinds[form] = written
    before = [(at, named) for at, named in document.kinds[form] if at < noun.start]
    if not before or len({named[0] for _, named in document.kinds[form]}) != 1:
        return None
    at, named = before[-1]
    between = (entities[i] for i in document.starting_in(at, noun.start))
    if any(e.label == "ORG" and e.canonical != named[0] for e in between):
        return None  # "Nach Informationen der Welt am Sonntag …, berichtete die Zeitung": the one named last
    return named if named[1] else None  # a word no name was found in is no speaker's name


_CAPITALISED = re.compile(r"\b[A-ZÄÖÜ][\w-]*")


def _class_noun(word: str) -> tuple[str, str] | None:
    """A noun of a kind of organisation in lower case, a genitive ending off, and the class noun it ends in:
    "Glücksspielkonzerns" → ("glücksspielkonzern", "konzern"); None for any other word."""
    lower = word.lower()
    for form in (lower, lower[:-1] if lower.endswith("s") else "", lower[:-2] if lower.endswith("es") else ""):
        ending = max((c for c in CLASS_NOUNS if form.endswith(c)), key=len, default=None) if form else None
        if ending is not None:
            return form, ending
    return None


def _written_as_a_name(word: str) -> bool:
    """A word no common noun is written like: with a digit or with capitals inside ("n24", "ACLU")."""
    return any(c.isdigit() for c in word) or sum(c.isupper() for c in word) >= 2


def _quoted_name(text: str, words: list[PhraseWord]) -> str | None:
    """The name the phrase opens with in quotation marks, a title as media are written ("die
    „Automobilwoche“"); None when it opens otherwise."""
    if not words or not words[0].capitalised or text[words[0].start - 1 : words[0].start] not in _QUOTES:
        return None
    closing = next((i for i, w in enumerate(words) if text[w.end : w.end + 1] and text[w.end] in _QUOTES), None)
    if closing is None or closing > 3 or not all(w.capitalised for w in words[: closing + 1]):
        return None
    return text[words[0].start : words[closing].end]


def _leading_capitalised(words: list[PhraseWord]) -> list[PhraseWord]:
    """The name words that follow a head: capitalised, and "für" between two ("Schutzvereinigung für
    Wertpapierbesitz")."""
    taken: list[PhraseWord] = []
    for index, word in enumerate(words):
        joins = word.lower == "für" and index + 1 < len(words) and words[index + 1].capitalised
        if not (word.capitalised or joins) or word.lower in COMPLEMENT:
            break
        taken.append(word)
    return taken


def in_a_prepositional_phrase(text: str, start: int) -> bool:
    """The name stands in a prepositional phrase: "in Kabul", "aus Mainz und Bonn", "in der Ukraine"."""
    window = max(0, start - 60)
    sentence_end = max(text.rfind(mark, window, start) for mark in ".!?:;\n")
    # within the name's sentence: "… vor. Auch Hessens Ministerpräsident Roland Koch" is no "vor Roland Koch"
    before = [m.group(0) for m in WORD.finditer(text, max(window, sentence_end + 1), start)][-4:]
    for word in reversed(before):
        lower = word.lower()
        if lower in PREPOSITIONS:
            return True
        if not (word[:1].isupper() or lower in ("und", "sowie", "oder") or lower in DETERMINERS):
            return False
    return False
