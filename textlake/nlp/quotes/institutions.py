"""How a speaker phrase names an institution: the words of the phrase, the kind of noun its head is (a source,
a representative, a class, an institution: word lists in `words/`), and the organisation's name in the
nominative, as an analyst groups quotations by ("des bayerischen Umweltministeriums" → "bayerisches
Umweltministerium")."""

from __future__ import annotations

from collections.abc import Sequence

from textlake.nlp.quotes.lexicon import (
    ADJECTIVE_ENDINGS,
    ASSOCIATION_NOUNS,
    CLASS_NOUNS,
    INSTITUTION_COMPLEMENTS,
    INSTITUTION_NOUNS,
    REPRESENTATIVE_ROLES,
    SOURCE_NOUNS,
)

# Named: (name, label, the entity it is or None).
Named = tuple[str, str, int | None]

DETERMINERS = frozenset(
    "der die das des dem den ein eine eines einer einem einen sein seine seines seiner seinem seinen ihr ihre "
    "ihres ihrer ihrem ihren dieser diese dieses diesem diesen".split()
)
COMPLEMENT = frozenset("des der von vom eines einer".split())


class PhraseWord:
    """A word of a speaker phrase, and the entity that starts there."""

    __slots__ = ("start", "end", "text", "entity")

    def __init__(self, start: int, end: int, text: str, entity: int | None) -> None:
        self.start, self.end, self.text, self.entity = start, end, text, entity

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def capitalised(self) -> bool:
        """Written as a name is: capitalised, or an entity, or a name with digits ("n24")."""
        return self.text[:1].isupper() or self.entity is not None or any(c.isdigit() for c in self.text)


def kind_of(word: PhraseWord) -> str | None:
    if ends_with(word.text, SOURCE_NOUNS):
        return "source"
    if ends_with(word.text, REPRESENTATIVE_ROLES):
        return "representative"
    if ends_with(word.text, CLASS_NOUNS):
        return "class"
    if ends_with(nominative(word.text), INSTITUTION_NOUNS):
        return "institution"
    return None


def ends_with(word: str, endings: Sequence[str]) -> bool:
    return word.lower().endswith(tuple(endings))


def first_part(compound: str, endings: Sequence[str]) -> str | None:
    """The organisation a compound names before its role or source noun: "Polizeisprecher" → "Polizei",
    "Ministeriumssprecher" → "Ministerium", "NASA-Angaben" → "NASA"; None for the noun alone."""
    lower = compound.lower()
    ending = max((e for e in endings if lower.endswith(e)), key=len)
    first = compound[: len(compound) - len(ending)].rstrip("-")
    if len(first) < 2:
        return None
    if first.endswith("s") and first[:-1].lower().endswith(
        ("ung", "ium", "heit", "keit", "schaft", "tion", "sion", "tät", "amt")
    ):
        first = first[:-1]  # the linking s: "Regierungssprecher", "Ministeriumssprecher", "Kommissionssprecher"
    if not first[:1].isupper():
        return None
    return first if ends_with(first, INSTITUTION_NOUNS) or first.isupper() else None


def complement_in_the_name(head: PhraseWord, rest: list[PhraseWord]) -> list[PhraseWord]:
    """ "des Innern" after "Bundesministeriums": a genitive that is part of an institution's name
    (`INSTITUTION_COMPLEMENTS`), with its article; after an association ("Fachverband der
    Mineralölindustrie", `ASSOCIATION_NOUNS`) any genitive nouns, one after another; nothing otherwise."""
    if kind_of(head) != "institution" or len(rest) < 2 or rest[0].lower not in ("des", "der"):
        return []
    if rest[1].text in INSTITUTION_COMPLEMENTS:
        return rest[:2]
    if not ends_with(nominative(head.text), ASSOCIATION_NOUNS):
        return []
    taken: list[PhraseWord] = []
    while len(rest) >= 2 and rest[0].lower in ("des", "der") and rest[1].capitalised and rest[1].entity is None:
        taken, rest = [*taken, *rest[:2]], rest[2:]
    return taken


def organisation(
    qualifiers: list[PhraseWord], head: str, names: list[PhraseWord], after_genitive: bool = False
) -> Named:
    """An institution as the document names it, in the nominative: "der Berliner Staatsanwaltschaft" →
    "Berliner Staatsanwaltschaft", "des Finanzministeriums" → "Finanzministerium"."""
    head = nominative(head) if after_genitive or not ends_with(head, INSTITUTION_NOUNS) else head
    adjectives = [declined_adjective(w.text, head) for w in qualifiers if w.lower not in COMPLEMENT | DETERMINERS]
    return " ".join([*adjectives, head, *(w.text for w in names)]), "ORG", None


def after_a_genitive(words: list[PhraseWord], head_at: int) -> bool:
    return any(w.lower in ("des", "eines") for w in words[:head_at])


def nominative(noun: str) -> str:
    """A noun's nominative from its genitive: "Finanzministeriums", "Verbandes", "Hauses"."""
    if noun.endswith("ums") or noun.endswith("amts") or noun.endswith("ts"):
        return noun[:-1]
    if noun.endswith("es") and len(noun) > 5 and ends_with(noun[:-2], INSTITUTION_NOUNS):
        return noun[:-2]
    if noun.endswith("s") and ends_with(noun[:-1], INSTITUTION_NOUNS):
        return noun[:-1]
    return noun


_NEUTER = (
    "ium",
    "um",
    "amt",
    "haus",
    "gericht",
    "institut",
    "komitee",
    "kabinett",
    "parlament",
    "militär",
    "präsidium",
)


_MASCULINE = ("verband", "gerichtshof", "senat", "ausschuss", "arbeitskreis", "konzern")


def declined_adjective(word: str, head: str) -> str:
    """An adjective before the head, in the nominative without article: "russischen Regierung" →
    "russische Regierung", "bayerischen Umweltministeriums" → "bayerisches Umweltministerium"."""
    if not word.endswith(("en", "em", "er", "es")) or word[:1].isupper() and not word.endswith("en"):
        return word  # "Berliner": a place's adjective does not decline; "Weißen" does
    stem = word[:-2]
    lower = head.lower()
    ending = "es" if lower.endswith(_NEUTER) else "er" if lower.endswith(_MASCULINE) else "e"
    return stem + ending


def adjectives_before(words: list[PhraseWord], head_at: int) -> list[PhraseWord]:
    """The adjectives right before the head: "der Berliner Staatsanwaltschaft", "des brasilianischen
    Außenministeriums"; not the words of a longer mention before them ("In einem Papier des …")."""
    taken: list[PhraseWord] = []
    for word in reversed(words[:head_at]):
        lower = word.lower
        adjective = lower.endswith(ADJECTIVE_ENDINGS) or word.text[:1].isupper() and lower.endswith(("er", "en"))
        if not adjective or lower in DETERMINERS or lower in COMPLEMENT or kind_of(word) is not None:
            break
        taken.insert(0, word)
    return taken
