"""Whom a role names (issue 32, "der Präsident", "die Anwältin", "der Staatsanwalt"): the person the document
writes with that role, or the office it stands for when the document names no person in it; a surname in the
genitive ("nach Celebis Angaben"); and the one institution a noun alone stands for ("das Ministerium"). Asked
by `naming` for each quotation's speaker mention."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from textlake.nlp.canonical import is_role
from textlake.nlp.quotes.clauses import WORD
from textlake.nlp.quotes.institutions import DETERMINERS, Named, ends_with, nominative
from textlake.nlp.quotes.lexicon import GENITIVE_OPENERS, REPRESENTATIVE_ROLES, ROLE_SYNONYMS
from textlake.nlp.quotes.quotation import Canonical

DEFINITE = frozenset("der die das des".split())


class Document:
    """A document's text and entities, indexed once for every quotation's speaker: the entity that starts
    at each place, and what the role and institution lookups found (a document's quotations ask the same)."""

    def __init__(self, text: str, entities: Sequence[Canonical]) -> None:
        self.text, self.entities = text, entities
        self.starts = {e.start: i for i, e in enumerate(entities)}
        self.sorted_starts = sorted((e.start, i) for i, e in enumerate(entities))
        self.holders: dict[str, list[int]] = {}  # role → the persons written with it
        self.one_named: dict[str, Named | None] = {}  # institution noun → the one of its kind named
        self.kinds: dict[str, list[tuple[int, Named]]] = {}  # class noun → the organisations written after it

    def starting_in(self, start: int, end: int) -> list[int]:
        """The entities that start in start..end."""
        at = bisect.bisect_left(self.sorted_starts, (start, -1))
        found = []
        while at < len(self.sorted_starts) and self.sorted_starts[at][0] < end:
            found.append(self.sorted_starts[at][1])
            at += 1
        return found


def holder_of_the_role(document: Document, start: int, end: int) -> int | None:
    """The person a mention names by a role alone ("der brasilianische Präsident", "nach Auffassung der
    Kanzlerin"): the one the document writes with that role before their name ("Präsident Luiz Inácio Lula
    da Silva", "Bundeskanzlerin Angela Merkel"), the last before the mention, else the first after it.
    None when the mention holds a name, or no person or more than one other carries the role."""
    text, entities = document.text, document.entities
    if any(entities[i].label in ("PER", "ORG") for i in document.starting_in(start, end)):
        return None
    words = WORD.findall(text, start, end)
    at, role = next(((i, r) for i, w in enumerate(words) if w[:1].isupper() and (r := role_form(w))), (0, None))
    if role is None or ends_with(role, REPRESENTATIVE_ROLES):
        return None
    nation = nationality(words[at - 1]) if at > 0 else None
    if nation is not None:  # "der venezolanische Staatschef": the one the document writes so
        return _holder_of_the_office(document, start, role, nation)
    if role not in document.holders:
        document.holders[role] = [i for i, e in enumerate(entities) if e.label == "PER" and _carries(text, e, role)]
    holders = document.holders[role]
    if len({entities[i].canonical for i in holders}) != 1:
        return None
    before = [i for i in holders if entities[i].end <= start]
    return before[-1] if before else holders[0]


def person_in_the_genitive(document: Document, start: int, end: int) -> int | None:
    """The person a mention of one word names by their surname in the genitive ("Celebis", "Merkels"): the
    one person the document names with that surname, the last before the mention, else the first after it.
    None when the word is anything else, or no person or more than one carries the surname."""
    stem = _genitive_stem(document.text, start, end)
    return person_of_the_surname(document, stem, start) if stem is not None else None


def organisation_in_the_genitive(document: Document, start: int, end: int) -> int | None:
    """The organisation a mention of one word names in the genitive ("Nach Apples Darstellung"): the
    organisation the document names so without the "s", the last before the mention, else the first after it."""
    stem = _genitive_stem(document.text, start, end)
    if stem is None:
        return None
    named = [i for i, e in enumerate(document.entities) if e.label == "ORG" and e.canonical == stem]
    before = [i for i in named if document.entities[i].end <= start]
    return before[-1] if before else next(iter(named), None)


def _genitive_stem(text: str, start: int, end: int) -> str | None:
    """The name a mention of one capitalised word ending in "s" is the genitive of, or None."""
    words: list[str] = WORD.findall(text, start, end)
    if len(words) != 1 or not words[0][:1].isupper() or not words[0].endswith("s") or len(words[0]) < 4:
        return None
    return words[0][:-1]


def person_of_the_surname(document: Document, surname: str, start: int) -> int | None:
    """The one person the document names with the surname, in full or alone ("Sabine Haag" for "Haag: …",
    "Kickl" for "nach Kickls Worten"), the last before `start`, else the first after it; None when no
    person or more than one carries it."""
    people = [i for i, e in enumerate(document.entities) if e.label == "PER" and e.canonical.split(" ")[-1] == surname]
    if len({document.entities[i].canonical for i in people}) != 1:
        return None
    before = [i for i in people if document.entities[i].end <= start]
    return before[-1] if before else people[0]


def office_of_the_role(document: Document, start: int, end: int) -> Named | None:
    """The institution a role alone stands for when the document names no person in it: "der Staatsanwalt"
    → the one "Staatsanwaltschaft" the document names, with the place written after it ("die
    Staatsanwaltschaft München I"); "der Botschafter" → "Botschaft". None when the mention is more than an
    article and the role, or the document names no such institution, or several."""
    words = WORD.findall(document.text, start, end)
    role = role_form(words[1]) if len(words) == 2 and words[0].lower() in DETERMINERS else None
    if role is None:
        return None
    key = f"office of {role}"
    if key not in document.one_named:
        # "Staatsanwalt" → "Staatsanwaltschaft"; "Botschafter", "Gewerkschafter" → "Botschaft", "Gewerkschaft"
        institution = role[:-2] if role.endswith("schafter") else role + "schaft"
        forms = {
            _with_its_place(document, m.end(), m.group(0))
            for m in re.finditer(rf"\b{re.escape(institution.capitalize())}\b", document.text)
        }
        placed = {form for form in forms if form != institution.capitalize()}
        if len(placed) == 1:  # "die Staatsanwaltschaft München I", later "die Staatsanwaltschaft": one office
            forms = placed
        document.one_named[key] = (forms.pop(), "ORG", None) if len(forms) == 1 else None
    return document.one_named[key]


def the_one_named(document: Document, institution: str) -> Named | None:
    """The only compound of the institution noun the document writes ("Innenministerium" for "das
    Ministerium"), or the name it opens that an acronym follows ("Gewerkschaft der Polizei (GdP)" for "der
    Gewerkschaft"); None when it writes none or several."""
    if institution not in document.one_named:
        # "Innenministerium", and capitalised after an acronym and a hyphen: "EU-Kommission" (not after a
        # name: "eine traditionelle Zaiditen-Regierung" is no government the article quotes)
        capitalised = re.escape(institution[:1].upper() + institution[1:].lower())
        pattern = re.compile(
            rf"\b(?:[A-ZÄÖÜ][\w-]*{re.escape(institution.lower())}|[A-ZÄÖÜ]{{2,}}-{capitalised})\w{{0,2}}\b"
        )
        forms = {nominative(m.group(0)) for m in pattern.finditer(document.text)}
        forms = {f for f in forms if f.lower().endswith(institution.lower())}
        # "die Gewerkschaft der Polizei (GdP)": the noun and its genitive, written as a name its acronym follows
        joins = "|".join(GENITIVE_OPENERS)
        named = re.compile(rf"\b{re.escape(institution)}((?: (?:{joins}) [A-ZÄÖÜ][\w-]*)+) \([A-ZÄÖÜ][\w-]*\)")
        forms |= {f"{institution}{m.group(1)}" for m in named.finditer(document.text)}
        document.one_named[institution] = (forms.pop(), "ORG", None) if len(forms) == 1 else None
    return document.one_named[institution]


def _with_its_place(document: Document, end: int, institution: str) -> str:
    """The institution with the place right after it, and a Roman numeral after that ("Staatsanwaltschaft
    München I")."""
    place = document.starts.get(end + 1) if document.text[end : end + 1] == " " else None
    if place is None or document.entities[place].label != "LOC":
        return institution
    named = document.text[end + 1 : document.entities[place].end]
    numeral = re.match(r" [IVX]+\b", document.text[document.entities[place].end : document.entities[place].end + 6])
    return f"{institution} {named}{numeral.group(0) if numeral else ''}"


def nationality(word: str) -> str | None:
    """The stem of a nationality adjective ("venezolanische" → "venezolanisch"), or None."""
    stem = re.sub(r"(e[nrsm]?)$", "", word) if word.islower() else ""
    return stem if stem.endswith("sch") and len(stem) >= 5 else None


def _holder_of_the_office(document: Document, start: int, role: str, nationality: str) -> int | None:
    """The one person the document writes with the nationality and the role or one of the same office
    right before their name ("des venezolanischen Präsidenten Hugo Chávez"), the last before `start`, else
    the first after it; None when no one or more than one person is written so."""
    key = f"{nationality} {role}"
    if key not in document.holders:
        office = _office(role)
        document.holders[key] = [
            i
            for i, e in enumerate(document.entities)
            if e.label == "PER" and _written_as(document.text, e, office, nationality)
        ]
    holders = document.holders[key]
    if len({document.entities[i].canonical for i in holders}) != 1:
        return None
    before = [i for i in holders if document.entities[i].end <= start]
    return before[-1] if before else holders[0]


def _written_as(text: str, person: Canonical, office: tuple[str, ...], nationality: str) -> bool:
    """The person's name follows a role of the office, with the nationality before it ("des venezolanischen
    Präsidenten Hugo Chávez", "der brasilianische Staatschef Lula")."""
    before = WORD.findall(text, max(0, person.start - 60), person.start)[-3:]
    if len(before) < 2 or text[person.start - len(before[-1]) - 1 : person.start - 1] != before[-1]:
        return False
    role = role_form(before[-1])
    return role is not None and _office(role) == office and any(w.startswith(nationality) for w in before[:-1])


def _office(role: str) -> tuple[str, ...]:
    """The role words of the role's office (`ROLE_SYNONYMS`), by the longest one the role ends in
    ("ministerpräsident" is a prime minister, not a president); the role alone when none is listed."""
    known = max((r for r in ROLE_SYNONYMS if role.endswith(r)), key=len, default=None)
    return ROLE_SYNONYMS[known] if known is not None else (role,)


def role_form(word: str) -> str | None:
    """The word as a role, its case ending off: "Präsidenten" → "präsident"; None when it is no role."""
    lower = word.lower()
    forms = [lower, lower[:-2] if lower.endswith("en") else "", lower[:-1] if lower.endswith(("n", "s")) else ""]
    return next((form for form in forms if form and is_role(form) and form not in ("herr", "frau")), None)


def _carries(text: str, person: Canonical, role: str) -> bool:
    """The person is written with the role or one of the same office (`ROLE_SYNONYMS`): in the mention ("US-Präsident Barack Obama"), right before it,
    or in an apposition right after it ("Celebi, die Anwältin der Frau")."""
    own = [w for w in WORD.findall(text, person.start, person.end) if w != person.canonical.split(" ")[0]]
    before = WORD.findall(text, max(0, person.start - 40), person.start)[-1:]
    near = [*own[:3], *(w for w in before if text[person.start - len(w) - 1 : person.start - 1] == w)]
    apposed = _apposed_role(text, person.end)
    # "Anwalt Mathias Kapferer" carries the role of "der Rechtsanwalt"; a compound keeps its own
    # ("der Bundespräsident" is not "Bundestagspräsident Wolfgang Thierse")
    office = ROLE_SYNONYMS.get(role, (role,))
    return any(w.lower().endswith(office) for w in [*near, *apposed] if w[:1].isupper())


def _apposed_role(text: str, end: int) -> list[str]:
    """The noun of an apposition right after a name, set off by a comma and opened by an article, adjectives
    between ("…, die nordrhein-westfälische Justizministerin"), and ended there: by a comma or the sentence's
    end, or by what the role is of ("der Justizminister des Landes", "die Anwältin der Frau"). None when no
    apposition follows; a relative clause ("…, der Kanzler Scholz kritisierte") is none."""
    if not text.startswith(",", end):
        return []
    words = list(WORD.finditer(text, end + 1, min(len(text), end + 80)))
    if not words or words[0].group(0).lower() not in DEFINITE:
        return []
    at = next((i for i in range(1, min(4, len(words))) if words[i].group(0)[:1].isupper()), None)
    if at is None or not all(w.group(0)[:1].islower() for w in words[1:at]):
        return []
    after = text[words[at].end() : words[at].end() + 5]
    ended = re.match(r"\s*[,.;:)]", after) or re.match(r" (des|der|von|aus|im|in)\b", after)
    return [words[at].group(0)] if ended else []
