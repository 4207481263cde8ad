"""Canonical names: the form of an entity an analyst groups by.

Within one document: titles, roles and honorifics are dropped ("Präsident Wladimir Putin" → "Wladimir
Putin", "Wirtschaftsstaatssekretär Harald Mahrer" → "Harald Mahrer");
a German genitive -s is dropped when the base form is known, in the document or in the model's
gazetteer ("Russlands" → "Russland", while "Paris" stays); a feminine noun's adjectives take the
nominative ("Europäischen Union" → "Europäische Union"); a surname alone takes the full name the
document uses ("Putin" → "Wladimir Putin") when exactly one full name ends in it, or one is written more
than once and the others once each with a noun, no given name, glued to the surname ("Bezirkskarriere Bilalic").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence

from textlake.nlp.wordlists import ADJECTIVES_IN_EN, FEMININE_ENDINGS

TITLES = frozenset(
    """
    präsident präsidentin staatspräsident staatspräsidentin staatschef staatschefin regierungschef
    regierungschefin kanzler kanzlerin bundeskanzler bundeskanzlerin minister ministerin premierminister
    premierministerin außenminister außenministerin bürgermeister bürgermeisterin oberbürgermeister
    könig königin prinz prinzessin papst kardinal bischof general generalsekretär vorsitzender
    vorsitzende chef chefin senator senatorin abgeordneter abgeordnete sprecher sprecherin
    herr herrn frau dr. dr prof. prof mr. mr mrs. mrs ms. sir st.-präsident
    """.split()
)
_QUOTES = "\"'„“”‚‘’»«()[]"


# The last part of a compound that names a role or function: "Wirtschaftsstaatssekretär", "SPD-Chef",
# "Innenministerin", "Ex-Bundeskanzler", "Cheftrainer". A capitalised word before a name that ends in one of
# these is the person's role, not their name.
ROLE_ENDINGS = (
    "präsident", "präsidentin", "kanzler", "kanzlerin", "minister", "ministerin", "sekretär", "sekretärin",
    "chef", "chefin", "trainer", "trainerin", "sprecher", "sprecherin", "vorsitzender", "vorsitzende",
    "bürgermeister", "bürgermeisterin", "abgeordneter", "abgeordnete", "direktor", "direktorin", "leiter",
    "leiterin", "anwalt", "anwältin", "richter", "richterin", "kommissar", "kommissarin", "botschafter",
    "botschafterin", "senator", "senatorin", "general", "kapitän", "kapitänin", "stürmer", "torhüter",
    "spieler", "spielerin", "gouverneur", "gouverneurin", "premier", "politiker", "politikerin", "experte",
    "expertin", "manager", "managerin", "gründer", "gründerin", "sänger", "sängerin", "autor", "autorin",
    "schauspieler", "schauspielerin", "regisseur", "regisseurin", "landeshauptmann", "landeshauptfrau",
    "funktionär", "funktionärin", "vize", "coach", "intendant", "intendantin", "bischof", "kardinal", "machthaber",
    "kommandeur", "kommandant", "befehlshaber", "offizier", "journalist", "journalistin", "korrespondent",
    "korrespondentin", "reporter", "reporterin", "moderator", "moderatorin", "oberhaupt",
)  # fmt: skip


def is_role(word: str) -> bool:
    """A title or role written before a name ("Bundeskanzlerin", "Ex-Innenminister", "FPÖ-Chef")."""
    lowered = word.lower().rstrip(".")
    return lowered in TITLES or lowered.startswith("ex-") or lowered.endswith(ROLE_ENDINGS)


def _strip_decoration(name: str, label: str) -> str:
    """A person's name without the roles written before it ("Heereskommandeur Abdel Kader Dschassim",
    "Human Rights Watch-Sprecher Malinowski": up to the last role word, the organisation glued to it
    included); a name the recogniser took for something else loses a title word before it ("General
    Anupong Paochinda" tagged ORG), so that its mentions meet under one name."""
    name = " ".join(name.strip(_QUOTES + " ").split())
    tokens = name.split(" ")
    if label == "PER":
        roles = [i for i, token in enumerate(tokens[:-1]) if is_role(token)]
        if roles:
            tokens = tokens[roles[-1] + 1 :]
    else:
        while len(tokens) > 2 and tokens[0].lower().rstrip(".") in TITLES and tokens[1][:1].isupper():
            tokens.pop(0)
    return " ".join(tokens)


def canonical_names(
    mentions: Sequence[tuple[str, str]],
    known_names: Iterable[str] = (),
    given_name: Callable[[str], bool] | None = None,
) -> list[str]:
    """Canonical name for each (text, label) mention of one document, in the same order. `given_name`, the
    recogniser's test of whether a word may be a given name, tells a word glued to a surname from a name."""
    known = set(known_names)
    stripped = [(_strip_decoration(text, label), label) for text, label in mentions]
    seen_by_label: dict[str, set[str]] = defaultdict(set)
    full_names_by_surname: dict[str, set[str]] = defaultdict(set)
    written: Counter[str] = Counter()
    for name, label in stripped:
        seen_by_label[label].add(name)
        if label == "PER" and " " in name:
            full_names_by_surname[name.rsplit(" ", 1)[1]].add(name)
            written[name] += 1
    for last_name, names in full_names_by_surname.items():
        # "Nedeljko Bilalic" twice and "Bezirkskarriere Bilalic" once (a noun the recogniser glued to the
        # surname): the name written more than once, when every other is written once with no given name
        # ("Errol Joseph" twice and "Esther Joseph" once are two people)
        repeated = [name for name in names if written[name] > 1]
        glued = [name for name in names if written[name] == 1]
        if given_name is None or len(repeated) != 1 or not glued:
            continue
        if not any(given_name(name.split(" ")[0]) for name in glued):
            full_names_by_surname[last_name] = set(repeated)
    # a surname the recogniser tags as a person whose full name it took for something else ("Gülsen
    # Celebi" ORG beside "Celebi" PER): the full name, when it is the only one of two or three words
    other_full_names: dict[str, set[str]] = defaultdict(set)
    for name, label in stripped:
        parts = name.split(" ")
        if label in ("ORG", "MISC") and 2 <= len(parts) <= 3 and all(p[:1].isupper() for p in parts):
            other_full_names[parts[-1]].add(name)
    for last_name, names in other_full_names.items():
        if last_name in seen_by_label["PER"] and last_name not in full_names_by_surname and len(names) == 1:
            full_names_by_surname[last_name] = names

    def is_known(name: str, label: str) -> bool:
        return name in seen_by_label[label] or name in known or (label == "PER" and name in full_names_by_surname)

    canonical: list[str] = []
    for name, label in stripped:
        # a gazetteer name ending in s ("Paris", "Texas") is left alone, even where the gazetteer also lists
        # the name without its s (GeoNames has a "Pari" too); "Österreichs" is in no list
        if name not in known:
            name = _without_genitive(name, label, is_known)
        if label != "PER":
            name = _in_the_nominative(name)
        # a surname alone is the one person of that surname the document names in full; the recogniser
        # sometimes takes it for an organisation ("Griss" beside "Irmgard Griss"), never a known place
        surname = label == "PER" or (label in ("ORG", "MISC") and name not in known)
        if surname and " " not in name and len(full_names_by_surname.get(name, ())) == 1:
            name = next(iter(full_names_by_surname[name]))
        canonical.append(name)
    return canonical


def _in_the_nominative(name: str) -> str:
    """A name of a feminine noun after adjectives in "-en", as the dative and the genitive write it, in the
    nominative: "Europäischen Union" → "Europäische Union", "Technischen Universität München" → "Technische
    Universität München" (a masculine or neuter noun's nominative ending cannot be told from the name)."""
    words = name.split(" ")
    adjectives = 0
    while adjectives < len(words) - 1 and _declined_adjective(words[adjectives]):
        adjectives += 1
    if not adjectives or not words[adjectives].lower().endswith(FEMININE_ENDINGS):
        return name
    return " ".join([*(w[:-1] for w in words[:adjectives]), *words[adjectives:]])


def _declined_adjective(word: str) -> bool:
    return word[:1].isupper() and word[1:].islower() and len(word) > 4 and word.lower().endswith(ADJECTIVES_IN_EN)


def _without_genitive(name: str, label: str, is_known: Callable[[str, str], bool]) -> str:
    """ "Russlands" → "Russland", "Putins" → "Putin", "Paris'" → "Paris", when the shorter form is known."""
    if len(name) > 3 and name[-1] in "s'" and is_known(name[:-1], label):
        return name[:-1]
    return name
