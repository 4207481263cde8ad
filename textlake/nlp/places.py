"""Places on the map: a place name (an entity's canonical name) → its GeoNames entry, offline.

The lookup is a Parquet file shipped in the package (`models/places_de.parquet`), built by `make model`
(`textlake.training.places`, whose docstring says what goes in and which place a shared name goes to):
countries by their German names and short forms ("USA", "Großbritannien"), continents, first-level regions
(Bundesländer, Kantone, US states), and GeoNames' towns of 1,000+ people in Germany, Austria and Switzerland
and of 15,000+ elsewhere (CC BY 4.0). A country's or region's point is its capital's.

Two rules read the words around a place name in the text, before the lookup: "Red Bull Salzburg" and
"Rapid Wien" are clubs (organisations), not places (`clubs_not_places`); "das Land Salzburg" is the
Bundesland where "Salzburg" alone is the city (`region_names`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from textlake.nlp.entities import Mention
from textlake.nlp.segment import SentenceSpan
from textlake.nlp.wordlists import read_words

PLACES_FILE = Path(__file__).resolve().parent / "models" / "places_de.parquet"
FEATURES = ("country", "continent", "region", "city")
MIN_CITY_POPULATION = 15_000
TOWN_COUNTRIES = ("DE", "AT", "CH")  # where towns of 1,000+ people are known, not only of 15,000+
MIN_POPULATION_FOR_OTHER_NAMES = 100_000
_LATIN_NAME = re.compile(r"[A-Za-zÀ-ÿĀ-ž .'\-]{3,}")


@dataclass(frozen=True)
class Place:
    geonames_id: int
    name: str  # the place's name in GeoNames (English or local); a region's German name
    feature: str  # country, continent, region or city
    country_code: str | None  # ISO 3166-1 alpha-2; None for a continent
    latitude: float
    longitude: float
    population: int


def load_places(names: Iterable[str], path: Path = PLACES_FILE) -> dict[str, Place]:
    """The known places among `names` (and their forms without a case ending, see `place_of`), read from
    the lookup file: only the rows asked for, not its 100,000 names. Empty when the file is absent."""
    if not path.exists():
        return {}
    import pyarrow.parquet as pq

    wanted = {form for name in names for form in _forms(name)}
    rows = pq.read_table(path, filters=[("lookup", "in", sorted(wanted))]).to_pylist() if wanted else []
    return {
        row["lookup"]: Place(
            row["geonames_id"], row["name"], row["feature"], row["country_code"], row["latitude"],
            row["longitude"], row["population"],
        )
        for row in rows
    }  # fmt: skip


def places_by_id(geonames_ids: Iterable[int], path: Path = PLACES_FILE) -> dict[int, Place]:
    """The lookup's places with these GeoNames ids (a curation file pins a place name to one)."""
    wanted = sorted(set(geonames_ids))
    if not wanted or not path.exists():
        return {}
    import pyarrow.parquet as pq

    rows = pq.read_table(path, filters=[("geonames_id", "in", wanted)]).to_pylist()
    return {
        row["geonames_id"]: Place(
            row["geonames_id"], row["name"], row["feature"], row["country_code"], row["latitude"],
            row["longitude"], row["population"],
        )
        for row in rows
    }  # fmt: skip


def place_of(name: str, places: dict[str, Place]) -> Place | None:
    """The place a canonical place name stands for, or None when no known place has that name. A case
    ending the canonical name kept is tried off too ("den Niederlanden" → "Niederlande")."""
    return next((places[form] for form in _forms(name) if form in places), None)


def _forms(name: str) -> tuple[str, ...]:
    """The name, then the name without a case ending ("Niederlanden" → "Niederlande")."""
    return (name, name[:-1]) if len(name) > 4 and name[-1] in "ns" else (name,)


@dataclass(frozen=True)
class RegionWords:
    canonical: dict[str, str]  # the word as written → the word a canonical name takes ("Bundesland" → "Land")
    countries: dict[str, tuple[str, ...]]  # canonical word → countries whose regions the lookup stores under it


@cache
def region_words() -> RegionWords:
    """textlake/nlp/words/place_region_words.txt: "Land (AT DE)", "Bundesland = Land"."""
    canonical: dict[str, str] = {}
    countries: dict[str, tuple[str, ...]] = {}
    for entry in read_words("textlake.nlp", "place_region_words"):
        match = re.fullmatch(r"(\S+)(?:\s*=\s*(\S+))?(?:\s*\(([A-Z ]+)\))?", entry)
        if match is None:
            raise ValueError(f"place_region_words.txt: cannot read {entry!r}")
        word, same_as, codes = match.groups()
        canonical[word] = same_as or word
        if codes:
            countries[word] = tuple(codes.split())
    return RegionWords(canonical, countries)


@cache
def region_keys(path: Path = PLACES_FILE) -> frozenset[str]:
    """The lookup's names of regions ("Tirol", "Land Salzburg", "Kanton Zürich"): a few hundred rows."""
    if not path.exists():
        return frozenset()
    import pyarrow.parquet as pq

    # two columns read whole: a row filter would load pyarrow's dataset machinery, a second in every worker
    table = pq.ParquetFile(path).read(columns=["lookup", "feature"])
    names, features = table.column("lookup").to_pylist(), table.column("feature").to_pylist()
    return frozenset(name for name, feature in zip(names, features, strict=True) if feature == "region")


_REGION_WORD_BEFORE = re.compile(r"(?<![\w-])([\w-]+) $")
# What stands between two names of a list: "Tirol, Vorarlberg, Salzburg und Wien", "Salzburg und dem Burgenland".
_LIST_GLUE = re.compile(r"\s*(?:,|und|oder|sowie)\s*(?:(?:dem|der|die|das|den)\s+)?")


def region_names(
    text: str, found: Sequence[tuple[int, SentenceSpan, Mention]], names: Sequence[str], regions: frozenset[str]
) -> list[str]:
    """Canonical names of places the words around make a region the lookup knows, where the bare name is
    a town's: "im Land Salzburg" → "Land Salzburg" (the Bundesland; "Salzburg" alone is the city), and so
    "Bundesland Salzburg"; a name listed with regions ("Tirol, Oberösterreich, Salzburg und Wien": Land
    Salzburg, Land Wien). "Bundesland Tirol" → "Tirol", where the bare name is the region already. Other
    names are returned as they are. (The region a town lies in, "Saalfelden in Salzburg", is not read: the
    recogniser tags persons as places too often, "Rodríguez in Washington".)"""
    words = region_words().canonical
    regional = {key.split(" ", 1)[1]: key for key in regions if key.split(" ", 1)[0] in words and " " in key}
    result = list(names)
    for i, ((_, span, mention), name) in enumerate(zip(found, names, strict=True)):
        if mention.label != "LOC":
            continue
        first, _, rest = name.partition(" ")
        if first in words and rest:  # the recogniser took the word in: "Bundesland Salzburg"
            word, bare = words[first], rest
        else:
            before = _REGION_WORD_BEFORE.search(text, span.start, span.start + mention.start)
            if before is None or before.group(1) not in words:
                if name in regional and _listed_with_a_region(text, found, result, i, regions):
                    result[i] = regional[name]
                continue
            word, bare = words[before.group(1)], name
        if f"{word} {bare}" in regions:
            result[i] = f"{word} {bare}"
        elif bare in regions:
            result[i] = bare
    return result


def _listed_with_a_region(
    text: str, found: Sequence[tuple[int, SentenceSpan, Mention]], names: Sequence[str], i: int, regions: frozenset[str]
) -> bool:
    """Whether the i-th mention is listed beside a region in its sentence ("Oberösterreich, Salzburg und
    dem Burgenland")."""
    ordinal, span, mention = found[i]
    start, end = span.start + mention.start, span.start + mention.end
    for j in (i - 1, i + 1):
        if not 0 <= j < len(found) or found[j][0] != ordinal or found[j][2].label != "LOC":
            continue
        other_start, other_end = found[j][1].start + found[j][2].start, found[j][1].start + found[j][2].end
        between = text[other_end:start] if j < i else text[end:other_start]
        if names[j] in regions and _LIST_GLUE.fullmatch(between):
            return True
    return False


@dataclass(frozen=True)
class ClubWords:
    before: re.Pattern[str]  # club words ending right before a place name: "FC Red Bull "
    after: re.Pattern[str]  # club words starting right after it: " United"
    names: re.Pattern[str]  # whole club names that begin with a place name: "Hannover 96"


@cache
def club_words() -> ClubWords:
    """textlake/nlp/words/club_words.txt as three patterns."""
    entries: dict[str, list[str]] = {"before": [], "after": [], "name": []}
    for entry in read_words("textlake.nlp", "club_words"):
        side, _, words = entry.partition(":")
        entries[side.strip()].append(re.escape(words.strip()))

    def alternatives(side: str) -> str:
        return "|".join(sorted(entries[side], key=len, reverse=True))

    return ClubWords(
        re.compile(r"(?<![\w-])(?:(?:" + alternatives("before") + r") )+$"),
        re.compile(r" (?:" + alternatives("after") + r")(?![\w-])"),
        re.compile(r"(?:" + alternatives("name") + r")(?![\w-])"),
    )


def clubs_not_places(
    text: str, found: Sequence[tuple[int, SentenceSpan, Mention]]
) -> list[tuple[int, SentenceSpan, Mention]]:
    """The mentions with every place name that the words of a club stand around made the club, an
    organisation: "Red Bull Salzburg", "FC Basel", "Rapid Wien", "Bayern München", "Manchester United"
    (textlake/nlp/words/club_words.txt). A mention the club name takes in ("Red Bull" tagged apart) is
    dropped. Mentions stay in order."""
    words = club_words()
    clubs: list[tuple[int, SentenceSpan, Mention]] = []
    for ordinal, span, mention in found:
        if mention.label != "LOC":
            continue
        before = words.before.search(text, span.start, span.start + mention.start)
        after = words.after.match(text, span.start + mention.end, span.end)
        named = words.names.match(text, span.start + mention.start, span.end)
        if before is None and after is None and named is None:
            continue
        start = before.start() - span.start if before else mention.start
        end = max([mention.end] + [m.end() - span.start for m in (after, named) if m])
        club = Mention(start, end, text[span.start + start : span.start + end], "ORG")
        clubs.append((ordinal, span, club))
    if not clubs:
        return list(found)
    covered = [(span.start + club.start, span.start + club.end) for _, span, club in clubs]
    kept = [
        item
        for item in found
        if not any(s < item[1].start + item[2].end and item[1].start + item[2].start < e for s, e in covered)
    ]
    return sorted(kept + clubs, key=lambda item: item[1].start + item[2].start)
