"""Places an analyst can put on a map: the shipped lookup (`models/places_de.parquet`, built by `make
model`) and the rules that read the words around a place name ("Land Salzburg", "Red Bull Salzburg")."""

from __future__ import annotations

from textlake.nlp.entities import Mention
from textlake.nlp.places import (
    Place,
    clubs_not_places,
    load_places,
    place_of,
    region_keys,
    region_names,
)
from textlake.nlp.segment import SentenceSpan


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
    assert (linked("St. Gallen").feature, linked("Kanton St. Gallen").feature) == ("city", "region")  # type: ignore[union-attr]
    new_york = linked("New York")
    assert new_york is not None and (new_york.feature, new_york.name) == ("city", "New York City")
    washington = linked("Washington")
    assert washington is not None and washington.feature == "city"  # the capital, not the state


def test_towns_of_a_thousand_people_in_austria_germany_and_switzerland_as_news_writes_them():
    for name in ("St. Pölten", "Eisenstadt", "Krems", "Nickelsdorf", "Traiskirchen", "Greifswald"):
        place = linked(name)
        assert place is not None and place.country_code in ("AT", "DE") and place.feature == "city", name
    assert linked("Frankfurt").name == "Frankfurt am Main"  # type: ignore[union-attr]
    assert linked("Halle").name == "Halle (Saale)"  # type: ignore[union-attr]


def test_a_german_common_noun_is_no_foreign_place_nor_a_small_town():
    assert linked("Boni") is None  # Boni, the plural of Bonus: no other name of Bonn
    assert linked("Kerns") is None  # Kern's genitive: neither Cairns nor the Swiss village of Kerns
    assert linked("Gera").country_code == "DE"  # type: ignore[union-attr]  # a German town's name, not Győr's other one
    assert linked("St. Petersburg").country_code == "RU"  # type: ignore[union-attr]  # Russia's other name, not Florida's
    assert linked("Rom").name == "Rome"  # type: ignore[union-attr]  # listed: Rom is also a noun


def _found(sentence: str, *tagged: tuple[str, str]) -> list[tuple[int, SentenceSpan, Mention]]:
    """Mentions as the recogniser hands them over: each (text, label) at its first place in the sentence."""
    span = SentenceSpan(0, len(sentence), 0)
    found = []
    for text, label in tagged:
        start = sentence.index(text)
        found.append((0, span, Mention(start, start + len(text), text, label)))
    return found


def test_land_before_a_place_makes_it_the_state():
    sentence = "Das Land Salzburg zahlt, die Stadt Salzburg nicht."
    found = _found(sentence, ("Salzburg", "LOC"), ("Stadt Salzburg", "LOC"))
    found[1] = (0, found[1][1], Mention(35, 43, "Salzburg", "LOC"))  # the second "Salzburg"
    assert region_names(sentence, found, ["Salzburg", "Salzburg"], region_keys()) == ["Land Salzburg", "Salzburg"]


def test_a_name_listed_with_regions_is_the_region():
    sentence = "Aus Tirol, Oberösterreich, Salzburg und Wien kamen Klagen."
    found = _found(sentence, ("Tirol", "LOC"), ("Oberösterreich", "LOC"), ("Salzburg", "LOC"), ("Wien", "LOC"))
    names = [m.text for _, _, m in found]
    assert region_names(sentence, found, names, region_keys()) == [
        "Tirol", "Oberösterreich", "Land Salzburg", "Land Wien",
    ]  # fmt: skip
    cities = "Wien, Salzburg und Graz wachsen."  # listed with towns: the towns
    found = _found(cities, ("Wien", "LOC"), ("Salzburg", "LOC"), ("Graz", "LOC"))
    assert region_names(cities, found, ["Wien", "Salzburg", "Graz"], region_keys()) == ["Wien", "Salzburg", "Graz"]


def test_a_region_word_the_recogniser_took_in_gives_the_regions_one_name():
    sentence = "Im Bundesland Salzburg und im Bundesland Tirol schneit es."
    found = _found(sentence, ("Bundesland Salzburg", "LOC"), ("Bundesland Tirol", "LOC"))
    names = ["Bundesland Salzburg", "Bundesland Tirol"]
    assert region_names(sentence, found, names, region_keys()) == ["Land Salzburg", "Tirol"]


def test_a_club_is_no_place():
    sentence = "Red Bull Salzburg schlug Rapid Wien in Salzburg."
    found = _found(sentence, ("Red Bull", "ORG"), ("Salzburg", "LOC"), ("Wien", "LOC"))
    found.append((0, found[0][1], Mention(39, 47, "Salzburg", "LOC")))  # the town where they played
    assert [(m.text, m.label) for _, _, m in clubs_not_places(sentence, found)] == [
        ("Red Bull Salzburg", "ORG"), ("Rapid Wien", "ORG"), ("Salzburg", "LOC"),
    ]  # fmt: skip


def test_a_number_after_a_place_is_a_club_only_in_a_clubs_name():
    sentence = "Hannover 96 verlor, in Baden-Württemberg 96 Liter Regen."
    found = _found(sentence, ("Hannover", "LOC"), ("Baden-Württemberg", "LOC"))
    assert [(m.text, m.label) for _, _, m in clubs_not_places(sentence, found)] == [
        ("Hannover 96", "ORG"), ("Baden-Württemberg", "LOC"),
    ]  # fmt: skip


def test_the_shipped_model_reads_land_salzburg_as_the_state_and_red_bull_salzburg_as_a_club():
    from textlake.ingest.prepare import PreparedDocument
    from textlake.nlp.analyse import analyse_documents
    from textlake.nlp.entities import load_recognizer

    text = "Das Land Salzburg fördert den Sport. Red Bull Salzburg gewann in Salzburg gegen Rapid Wien."
    doc = PreparedDocument("d1", "x", "0" * 64, 1, "utf-8", None, None, None, "de", 1.0, text)
    [analysed] = analyse_documents([doc], load_recognizer("default", 2_000))
    entities = {(e.text, e.label, e.canonical) for e in analysed.entities}
    assert ("Salzburg", "LOC", "Land Salzburg") in entities
    assert ("Red Bull Salzburg", "ORG", "Red Bull Salzburg") in entities
    assert ("Salzburg", "LOC", "Salzburg") in entities  # where they played
    places = {e.canonical for e in analysed.entities if e.label == "LOC"}
    assert "Red Bull Salzburg" not in places and "Rapid Wien" not in places
