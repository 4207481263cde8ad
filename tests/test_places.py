"""Places an analyst can put on a map: the shipped lookup (`models/places_de.parquet`, built by `make
model`) and the rules that read the words around a place name ("Land Salzburg", "Red Bull Salzburg")."""

from __future__ import annotations

from textlake.nlp.places import Place, load_places, place_of


def linked(name: str) -> Place | None:
    return place_of(name, load_places([name]))


def test_german_country_names_and_short_forms_are_countries():
    for name, code in [("USA", "US"), ("Großbritannien", "GB"), ("UK", "GB"), ("Mazedonien", "MK"),
                       ("Vereinigte Staaten", "US"), ("Österreich", "AT")]:  # fmt: skip
        place = linked(name)
        assert place is not None and (place.feature, place.country_code) == ("country", code), name


def test_a_countrys_point_is_its_capital_inside_it():
    canada = linked("Kanada")
    assert canada is not None
    assert (round(canada.latitude, 1), round(canada.longitude, 1)) == (45.4, -75.7)  # Ottawa, not Michigan
    usa = linked("USA")
    assert usa is not None and (round(usa.latitude), round(usa.longitude)) == (39, -77)  # Washington


def test_continents_are_on_the_map():
    europe = linked("Europa")
    assert europe is not None and (europe.feature, europe.country_code, europe.name) == ("continent", None, "Europe")


def test_first_level_regions_are_regions_at_their_capital():
    for name, code, capital_latitude in [("Bayern", "DE", 48.1), ("Steiermark", "AT", 47.1), ("Tirol", "AT", 47.3),
                                         ("Niederösterreich", "AT", 48.2), ("Kalifornien", "US", 38.6),
                                         ("Wallis", "CH", 46.2)]:  # fmt: skip
        place = linked(name)
        assert place is not None, name
        assert (place.feature, place.country_code, round(place.latitude, 1)) == ("region", code, capital_latitude)


def test_a_regions_name_that_is_its_capitals_too_is_the_city_and_with_land_the_state():
    assert (linked("Salzburg").feature, linked("Land Salzburg").feature) == ("city", "region")  # type: ignore[union-attr]
    assert (linked("Zürich").feature, linked("Kanton Zürich").feature) == ("city", "region")  # type: ignore[union-attr]
    new_york = linked("New York")
    assert new_york is not None and (new_york.feature, new_york.name) == ("city", "New York City")
    washington = linked("Washington")
    assert washington is not None and washington.feature == "city"  # the capital, not the state


def test_towns_of_a_thousand_people_in_austria_germany_and_switzerland_as_news_writes_them():
    for name in ("St. Pölten", "Eisenstadt", "Krems", "Nickelsdorf", "Traiskirchen"):
        place = linked(name)
        assert place is not None and place.country_code == "AT" and place.feature == "city", name
    assert linked("Frankfurt").name == "Frankfurt am Main"  # type: ignore[union-attr]
    assert linked("Halle").name == "Halle (Saale)"  # type: ignore[union-attr]


def test_a_german_common_noun_is_no_foreign_place_nor_a_small_town():
    assert linked("Boni") is None  # Boni, the plural of Bonus: no other name of Bonn
    assert linked("Kerns") is None  # Kern's genitive: neither Cairns nor the Swiss village of Kerns
    assert linked("Gera").country_code == "DE"  # type: ignore[union-attr]  # a German town's name, not Győr's other one
    assert linked("Rom").name == "Rome"  # type: ignore[union-attr]  # listed: Rom is also a noun
