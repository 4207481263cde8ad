"""Is text between quotation marks someone's speech, or a title, a name, a term in quotation marks?

A logistic regression over what a reader sees around the marks: a verb of saying framing it, its length
and punctuation, the word before it ("unter dem Motto „…“", "bezeichnete es als „…“"), the word after
it, first-person words and finite verbs inside. Each observation is one named feature below (the
contract between `quotes/direct.py`, which observes, and the weights file, which decides); the weights are
trained on the quotation gold's train split (`python -m textlake.training.direct_speech`, run
by `make model`) and stored in `models/noncommercial/direct_speech.json` with the feature names they belong
to. The annotations they are learnt from are CC BY-NC-SA 4.0, so the weights are too: they sit outside the
package, and a run uses them only when asked to (`--direct-speech-weights`); by default the rules decide.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textlake.nlp.wordlists import ARTICLES

# In a checkout of the repository only: never part of the installed package (see the module docstring).
NONCOMMERCIAL_WEIGHTS = Path(__file__).resolve().parents[2] / "models" / "noncommercial" / "direct_speech.json"


@dataclass(frozen=True)
class QuotedText:
    """What `quotes/direct.py` observes about one span between quotation marks and the sentence around it."""

    inner: str  # the text between the marks, stripped
    inner_words: tuple[str, ...]
    framed: bool  # „…“, sagte X / „…“, so X / X sagte: „…“
    sounds_like_speech: bool  # sentence punctuation or lower-case words that are more than glue
    mostly_a_name: bool  # the entity recogniser reads most of it as a name
    cue: bool  # a verb of saying in the sentence outside quotation marks
    attributed: bool  # als/von/laut/zufolge/nach/so, a subjunctive, a pronoun or a person beside it
    subjunctive: bool
    person_beside: bool
    pronoun: bool
    word_before: str  # the sentence's word just before the opening mark, "" at its start
    text_before: str  # what stands between that word and the mark
    word_after: str  # the sentence's word just after the closing mark, "" at its end
    text_after: str  # what stands between the mark and that word
    words_outside: frozenset[str]  # the sentence's words outside quotation marks, lower case
    quoted_spans: int  # spans between quotation marks in the sentence
    quoted_share: float  # the share of the sentence's characters inside quotation marks
    opens_paragraph: bool


_PREPOSITIONS = frozenset(
    {"von", "vom", "im", "in", "zum", "zur", "mit", "für", "auf", "aus", "unter", "an", "am", "bei", "beim"}
    | {"nach", "über", "gegen", "durch", "um", "vor"}
)
# Nouns that introduce a title or a name in quotation marks ("unter dem Motto „…“", "die Zeitung „…“").
_TITLE_NOUNS = frozenset(
    {"motto", "titel", "namen", "name", "typs", "typ", "kategorie", "zeitung", "nachrichtenagentur", "firma"}
    | {"organisation", "raumfähre", "aufschrift", "slogan", "film", "buch", "serie", "sendung", "magazin"}
    | {"magazins", "zeitschrift", "album", "lied", "song", "stück", "projekt", "aktion", "kampagne", "programm"}
    | {"operation", "schiff", "mission", "studie", "gesetz", "gesetzes", "begriff", "stichwort", "überschrift"}
    | {"bezeichnung", "verein", "gruppe", "partei", "initiative", "netzwerk", "bündnis", "plattform", "website"}
    | {"blog", "roman", "oper", "musical", "show", "preis", "preises", "tageszeitung", "wochenzeitung"}
    | {"agentur", "sender", "fernsehsender", "blatt"}
)
_SO_CALLED = frozenset({"genannten", "genannte", "sogenannten", "sogenannte"})
_FIRST_AND_SECOND_PERSON = frozenset(
    {"ich", "wir", "mir", "mich", "uns", "unser", "unsere", "unseren", "unserer", "mein", "meine", "meinen"}
    | {"meiner", "du", "dich", "dir", "euch", "ihr"}
)
_FINITE_VERBS = frozenset(
    {"ist", "sind", "war", "waren", "hat", "haben", "habe", "hatte", "hatten", "wird", "werden", "wurde"}
    | {"wurden", "kann", "können", "muss", "müssen", "will", "wollen", "soll", "sollen", "gibt", "gab", "darf"}
    | {"dürfen", "sei", "seien", "bin", "bist"}
)
# Verbs that put a short quoted word in someone's mouth ("nannte es einen „Wortbruch“").
_NAMING = ("nannte", "nennt", "nennen", "bezeichn", "sprach", "spricht", "warf", "warnte", "kritisier", "forder")
_CITING = frozenset({"worten", "zitiert", "zitierte", "wörtlich"})


def _words(q: QuotedText) -> int:
    return len(q.inner_words)


FEATURES: tuple[tuple[str, Callable[[QuotedText], float]], ...] = (
    ("bias", lambda q: 1.0),
    ("framed by a verb of saying", lambda q: q.framed),
    ("sounds like speech", lambda q: q.sounds_like_speech),
    ("mostly a name", lambda q: q.mostly_a_name),
    ("a verb of saying in the sentence", lambda q: q.cue),
    ("attributed", lambda q: q.attributed),
    ("subjunctive in the sentence", lambda q: q.subjunctive),
    ("a person beside it", lambda q: q.person_beside),
    ("a pronoun beside it", lambda q: q.pronoun),
    ("one word", lambda q: _words(q) == 1),
    ("two words", lambda q: _words(q) == 2),
    ("three words", lambda q: _words(q) == 3),
    ("four to six words", lambda q: 4 <= _words(q) <= 6),
    ("seven to twelve words", lambda q: 7 <= _words(q) <= 12),
    ("thirteen words or more", lambda q: _words(q) >= 13),
    ("log of the word count", lambda q: math.log1p(_words(q))),
    ("ends in . ! ? …", lambda q: q.inner[-1:] in ".!?…"),
    ("a comma inside", lambda q: "," in q.inner),
    ("starts upper case", lambda q: q.inner[:1].isupper()),
    ("first word lower case", lambda q: bool(q.inner_words) and q.inner_words[0][:1].islower()),
    ("after an article", lambda q: q.word_before.lower() in ARTICLES),
    ("after a preposition", lambda q: q.word_before.lower() in _PREPOSITIONS),
    ("after als", lambda q: q.word_before.lower() == "als"),
    ("after a title noun", lambda q: q.word_before.lower() in _TITLE_NOUNS),
    ("after so genannt", lambda q: q.word_before.lower() in _SO_CALLED),
    ("after a capitalised word", lambda q: q.word_before[:1].isupper()),
    ("after a colon", lambda q: q.text_before.rstrip().endswith(":")),
    ("after a comma", lambda q: "," in q.text_before),
    ("a comma after it", lambda q: q.text_after.lstrip().startswith(",")),
    ("a full stop after it", lambda q: q.text_after.lstrip().startswith(".")),
    ("a lower-case word right after it", lambda q: q.word_after[:1].islower() and not q.text_after.strip()),
    ("a parenthesis after it", lambda q: q.text_after.lstrip().startswith("(")),
    ("ends the sentence", lambda q: not q.word_after),
    ("starts the sentence", lambda q: not q.word_before),
    ("first or second person inside", lambda q: any(w.lower() in _FIRST_AND_SECOND_PERSON for w in q.inner_words)),
    ("a finite verb inside", lambda q: any(w.lower() in _FINITE_VERBS for w in q.inner_words)),
    ("share of capitalised words", lambda q: sum(w[:1].isupper() for w in q.inner_words) / max(1, _words(q))),
    ("a naming verb in the sentence", lambda q: any(w.startswith(_NAMING) for w in q.words_outside)),
    ("mit den Worten, zitiert, wörtlich", lambda q: bool(q.words_outside & _CITING)),
    ("three quoted spans or more", lambda q: q.quoted_spans >= 3),
    ("share of the sentence quoted", lambda q: q.quoted_share),
    ("opens a paragraph", lambda q: q.opens_paragraph),
    ("quotation marks inside", lambda q: any(mark in q.inner for mark in '„“"»«')),
)


def observations(q: QuotedText) -> list[float]:
    return [float(feature(q)) for _, feature in FEATURES]


@dataclass(frozen=True)
class DirectSpeechModel:
    weights: tuple[float, ...]
    threshold: float

    def probability(self, q: QuotedText) -> float:
        score = sum(w * x for w, x in zip(self.weights, observations(q), strict=True))
        return 1.0 / (1.0 + math.exp(-score))

    def is_speech(self, q: QuotedText) -> bool:
        return self.probability(q) >= self.threshold


def by_rules(q: QuotedText) -> bool:
    """The rules, which decide by default (the classifier's weights are for non-commercial use only): a cue
    frames it, or it reads as speech and is no name, nor a title; fewer than four words only when
    something attributes them."""
    if not q.framed and (not q.sounds_like_speech or q.mostly_a_name or _a_title(q)):
        return False
    return q.cue or q.attributed or _words(q) >= 4


def _a_title(q: QuotedText) -> bool:
    """What stands in quotation marks as a title or a name, unframed by a verb of saying: after a noun that
    introduces one ("unter dem Motto „Frieden schaffen ohne Waffen“", "das Buch „Die Revolution
    missbraucht ihre Kinder“") or "so genannt"; a short phrase of mostly capitalised words ("das Turnier
    „Championnat du Monde“"); or one followed by a parenthesis ("„Hvalur 9“ (ein Walfangschiff)").
    Chosen on the quotation gold's train split: F1 of "is speech" over its 1,275 quoted spans 0.884 →
    0.899 (the classifier: 0.904 cross-validated)."""
    before = q.word_before.lower()
    capitalised = sum(w[:1].isupper() for w in q.inner_words) / max(1, _words(q))
    return (
        before in _TITLE_NOUNS
        or before in _SO_CALLED
        or (_words(q) <= 5 and capitalised >= 0.6)
        or q.text_after.lstrip().startswith("(")
    )


def speech_decider(weights: Path | None = None) -> Callable[[QuotedText], bool]:
    """The rules, or the classifier with the `weights` a user chose (CC BY-NC-SA 4.0: non-commercial use)."""
    return load(weights).is_speech if weights is not None else by_rules


_chosen: list[Callable[[QuotedText], bool]] = [by_rules]


def use_weights(weights: Path | None) -> None:
    """Decide speech in this process with the classifier of `weights`, or by the rules (None): the language
    stage calls it with the run's settings in each process it runs in."""
    _chosen[0] = _loaded(weights)


@functools.cache
def _loaded(weights: Path | None) -> Callable[[QuotedText], bool]:
    return speech_decider(weights)


def is_speech(quoted: QuotedText) -> bool:
    """The decision of the rules or of the classifier chosen for this process (`use_weights`)."""
    return _chosen[0](quoted)


def load(path: Path) -> DirectSpeechModel:
    stored = json.loads(path.read_text(encoding="utf-8"))
    names = [name for name, _ in FEATURES]
    if stored["features"] != names:
        raise ValueError(f"{path} was trained on other features than textlake's; rebuild it with `make model`")
    return DirectSpeechModel(tuple(stored["weights"]), stored["threshold"])
