"""The NER lexicon's word lists, gathered when the model is built (`make model`): Wiktionary's nouns and
names (german-nouns), wordfreq's frequencies and HanTa's proper-noun reading, as flags per word form
(`textlake.nlp.ner.lexicon` says what the network does with them)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from textlake.nlp.ner.lexicon import BIT, ZIPF_LEVELS, with_genitive

_KIND_FLAGS = {"Vorname": "first_name", "Nachname": "surname", "Toponym": "place", "Eigenname": "proper_name"}
_NOT_FORMS = {"lemma", "pos", "genus", "genus 1", "genus 2", "genus 3", "genus 4"}


def wiktionary_lexicon(nouns_csv: Path) -> dict[str, int]:
    """Word form → flags from german-nouns' nouns.csv: every declined form of a common noun is a noun;
    names (which Wiktionary lists without declension) count with their genitive -s ("Berlins")."""
    lexicon: dict[str, int] = {}
    with nouns_csv.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            kinds = set(row["pos"].split(","))
            names = [flag for kind, flag in _KIND_FLAGS.items() if kind in kinds]
            for flag in names:
                add_names(lexicon, [row["lemma"]], flag)
            if not names and kinds == {"Substantiv"}:
                for column, form in row.items():
                    if column not in _NOT_FORMS and form and form[:1].isupper():
                        _mark(lexicon, form, "noun")
    return lexicon


def add_names(lexicon: dict[str, int], names: Iterable[str], flag: str) -> None:
    """One-word names (a name of several words is no word form), with their genitive."""
    for name in names:
        for form in with_genitive(name):
            _mark(lexicon, form, flag)


def add_frequencies(lexicon: dict[str, int], zipf: dict[str, float]) -> None:
    """Lower-case word → Zipf frequency levels it reaches; looked up by a token's lower case."""
    for word, value in zipf.items():
        levels = [flag for flag, level in ZIPF_LEVELS.items() if value >= level]
        if levels and word == word.lower():
            for flag in levels:
                _mark(lexicon, word, flag)


def _mark(lexicon: dict[str, int], form: str, flag: str) -> None:
    if " " not in form:
        lexicon[form] = lexicon.get(form, 0) | BIT[flag]


def add_morphology_names(lexicon: dict[str, int], words: Iterable[str]) -> int:
    """Capitalised words the HanTa tagger, reading the word alone (its letters, endings and what its model
    learnt of German word formation), takes for a proper noun: "Novomatic" and "Celebi" are, "Glas" is not.
    The flag reaches the rare names no word list has; HanTa runs only when the model is built."""
    from HanTa import HanoverTagger

    tagger = HanoverTagger.HanoverTagger("morphmodel_ger.pgz")
    n = 0
    for word in words:
        tags = tagger.tag_word(word)
        if tags and tags[0][0] == "NE":
            _mark(lexicon, word, "name_by_morphology")
            n += 1
    return n
