"""The quotation rules' word lists: data files that say how they match, each read by a rule, and the
order in which the lists of verbs of saying decide."""

from __future__ import annotations

from pathlib import Path

import pytest

from textlake.nlp import direct_speech, places, segment, wordlists
from textlake.nlp.quotes import lexicon
from textlake.nlp.quotes.clauses import WORD
from textlake.nlp.quotes.cues import is_cue
from textlake.nlp.quotes.quotation import Word

NLP = Path(wordlists.__file__).parent
WORD_FILES = sorted([*(NLP / "quotes" / "words").glob("*.txt"), *(NLP / "words").glob("*.txt")])


@pytest.mark.parametrize("path", WORD_FILES, ids=lambda path: path.name)
def test_a_word_list_says_how_it_matches_and_who_reads_it(path: Path):
    header = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert path.read_text(encoding="utf-8").startswith("# ")
    assert any(line.startswith("# Matching: ") for line in header)
    assert any(line.startswith("# Read by: ") for line in header)
    entries = wordlists.read_words(
        "textlake.nlp.quotes" if path.parent.parent.name == "quotes" else "textlake.nlp", path.stem
    )
    assert entries and len(entries) == len(set(entries))


@pytest.mark.parametrize("path", WORD_FILES, ids=lambda path: path.name)
def test_every_word_list_is_read(path: Path):
    readers = "".join(
        Path(module.__file__).read_text(encoding="utf-8")
        for module in (lexicon, wordlists, places, segment)
        if module.__file__
    )
    assert f'"{path.stem}"' in readers


def test_quotations_and_direct_speech_read_one_list_of_articles():
    assert "dem" in wordlists.ARTICLES and "dem" in lexicon.NOUN_PHRASE_WORDS
    assert direct_speech.ARTICLES is wordlists.ARTICLES


def cue(text: str, word: str) -> bool:
    words = [Word(m.start(), m.end(), m.group(0)) for m in WORD.finditer(text)]
    return is_cue(words, [w.text for w in words].index(word))


def test_a_verb_with_a_partner_is_a_cue_only_with_its_partner_though_not_saying_lists_it():
    assert "gab" in lexicon.NOT_SAYING
    assert cue("Die Polizei gab am Montag an, der Fahrer sei geflohen.", "gab")
    assert cue("Die Polizei gaben bekannt, dass", "gaben")  # the stem and two letters
    assert not cue("Die Band gab am Montag ein Konzert.", "gab")


def test_an_exact_word_that_is_no_cue_wins_over_a_prefix_that_is_one():
    assert "bericht" in lexicon.SAYING and "bericht" in lexicon.NOT_SAYING
    assert cue("berichtet die Zeitung", "berichtet")
    assert not cue("berichte der Zeitung", "berichte")
    assert not cue("Die bekannten Fakten", "bekannten")  # the adjective, not "bekannte" (confessed)
    assert cue("Die Ministerin bekannte, sie habe", "bekannte")


def test_a_capitalised_word_inside_the_sentence_is_no_cue():
    assert not cue("Nach Berichten der Zeitung", "Berichten")
    assert cue("Sagte er das?", "Sagte")
