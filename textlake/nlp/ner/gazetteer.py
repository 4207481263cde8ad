"""A gazetteer the statistical model can override: spaCy component `textlake_gazetteer`.

Runs after `ner`. A name from the list becomes an entity where the model found none; where the model
found part of it ("Petersburg" in "St. Petersburg") or exactly it under another label, the gazetteer
wins; where the model found something longer that contains it, the model's entity stays, unless that
is a MISC span (the model's least reliable label: "Politik der Nachbarländer Litauen").

Two word lists correct the model's persons the same way: a known first name followed by one or two
capitalised words is a person ("Kimi Räikkönen"), and a lone word the model calls a person but German
text uses as a common noun ("Glas", "Papier": capitalised, and mostly after an article) is not one.

A name that ends in a model code after a hyphen ("Iskander-M", "Il-86", "S-400") names a product, not a
place: GermEval tags such words OTH or O, never LOC, so the model's place becomes MISC.

Each entity says in its `kb_id_` what found it: a listed name, the
first-name rule, either one where the model had found the same span with the same label (`+model`), or
nothing for the model's own. A mention's confidence is calibrated by it (textlake.nlp.confidence).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from textlake.nlp.ner.lexicon import with_genitive

# What found an entity, as the component writes it in the entity's kb_id ("" : the model alone).
LISTED, FIRST_NAME = "list", "first_name"
AGREED = "+model"  # suffix: the model had found the same span with the same label


@Language.factory("textlake_gazetteer")
def make_gazetteer(nlp: Language, name: str) -> Gazetteer:
    return Gazetteer(nlp, name)


class Gazetteer:
    def __init__(self, nlp: Language, name: str = "textlake_gazetteer"):
        self.nlp = nlp
        self.name = name
        self.names: dict[str, list[str]] = {}
        # names of several tokens ("St. Petersburg"): their tokens, by first token, with their label
        self.phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.words: dict[str, str] = {}  # one-word names → label
        self.first_names: set[str] = set()
        self.common_nouns: set[str] = set()

    @property
    def patterns(self) -> list[dict[str, str]]:
        return [{"label": label, "pattern": name} for label, names in self.names.items() for name in names]

    def add(self, label: str, names: list[str]) -> None:
        """Names under a label; each also matches in the genitive ("Dänemarks"), which GermEval and news
        analytics count as the place itself. Only the names themselves are patterns: the canonical-name
        rules treat patterns as known names, and "Russlands" must still become "Russland"."""
        forms = self._add_names(label, names)
        tokenize = self.nlp.tokenizer.pipe  # type: ignore[union-attr]  # a Tokenizer; spaCy types it as a callable
        self._add_phrases(label, [[t.text for t in doc] for doc in tokenize(f for f in forms if not f.isalpha())])

    def _add_names(self, label: str, names: list[str]) -> list[str]:
        """The names and their one-word forms (a plain word is one token: looked up by its text); returns
        every form, genitives included."""
        self.names.setdefault(label, []).extend(names)
        forms = [form for name in names for form in with_genitive(name)]
        self.words.update((form, label) for form in forms if form.isalpha())
        return forms

    def _add_phrases(self, label: str, phrases: Iterable[Sequence[str]]) -> None:
        for tokens in phrases:
            self.phrases.setdefault(tokens[0], []).append((tuple(tokens), label))

    def _phrase_spans(self, doc: Doc) -> list[Span]:
        """Every listed name of several tokens in the text: the same spans spaCy's PhraseMatcher finds on
        the tokens' text, without tokenizing tens of thousands of names into Docs when the model loads
        (2.6 s of every process that loads it; saved as tokens with the model instead)."""
        texts = [t.text for t in doc]
        spans = []
        for start, text in enumerate(texts):
            for tokens, label in self.phrases.get(text, ()):
                if tuple(texts[start : start + len(tokens)]) == tokens:
                    spans.append(Span(doc, start, start + len(tokens), label=label, kb_id=LISTED))
        return spans

    def __call__(self, doc: Doc) -> Doc:
        listed = self._phrase_spans(doc)
        listed += [Span(doc, t.i, t.i + 1, label=self.words[t.text], kb_id=LISTED) for t in doc if t.text in self.words]
        found = filter_spans(listed + self._full_names(doc))
        entities = [e for e in doc.ents if not (e.label_ == "PER" and len(e) == 1 and e.text in self.common_nouns)]
        for span in found:
            overlapping = [e for e in entities if e.start < span.end and span.start < e.end]
            if not overlapping:
                entities.append(span)
            elif all(span.start <= e.start and e.end <= span.end for e in overlapping) or all(
                e.label_ == "MISC" and e.start <= span.start and span.end <= e.end for e in overlapping
            ):
                if any((e.start, e.end, e.label_) == (span.start, span.end, span.label_) for e in overlapping):
                    span = Span(doc, span.start, span.end, label=span.label_, kb_id=span.kb_id_ + AGREED)
                entities = [e for e in entities if e not in overlapping] + [span]
        entities = [
            Span(doc, e.start, e.end, label="MISC") if e.label_ == "LOC" and _MODEL_CODE.search(e.text) else e
            for e in entities
        ]
        doc.ents = sorted(entities, key=lambda e: e.start)
        return doc

    def _full_names(self, doc: Doc) -> list[Span]:
        """A first name, more first names, then a surname: one or two capitalised words, or a nobility
        particle and one ("Ursula von der Leyen"). The particle must follow first names only, so that
        "Angela Merkel von der CDU" stays "Angela Merkel"."""
        spans, i = [], 0
        while i < len(doc) - 1:
            end = i + 1
            if doc[i].text in self.first_names:
                while end < len(doc) and doc[end].text in self.first_names:
                    end += 1
                particles = _particles_at(doc, end)
                # one word after a particle ("von Brunn", not "von Brunn Auf"), else one or two
                surname = _capitalised_words_at(doc, end + particles, most=1 if particles else 2)
                if surname:
                    end += particles + surname
            if end > i + 1:
                spans.append(Span(doc, i, end, label="PER", kb_id=FIRST_NAME))
            i = end
        return spans

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name, value in self._lists().items():
            (path / name).write_text(_one_item_per_line(value), encoding="utf-8")

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> Gazetteer:
        path = Path(path)
        names = json.loads((path / "names.json").read_text(encoding="utf-8"))
        if (path / "phrases.json").exists():  # the names of several tokens, tokenized when the model was built
            for label, label_names in names.items():
                self._add_names(label, label_names)
            for label, phrases in json.loads((path / "phrases.json").read_text(encoding="utf-8")).items():
                self._add_phrases(label, phrases)
        else:  # a model built before phrases.json: tokenize them now
            for label, label_names in names.items():
                self.add(label, label_names)
        for name, target in (("first_names.json", self.first_names), ("common_nouns.json", self.common_nouns)):
            if (path / name).exists():  # models built before these lists existed have none
                target.update(json.loads((path / name).read_text(encoding="utf-8")))
        return self

    def _lists(self) -> dict[str, Any]:
        phrases: dict[str, list[list[str]]] = {}
        for entries in self.phrases.values():
            for tokens, label in entries:
                phrases.setdefault(label, []).append(list(tokens))
        return {
            "names.json": self.names,
            "phrases.json": phrases,
            "first_names.json": sorted(self.first_names),
            "common_nouns.json": sorted(self.common_nouns),
        }


def _one_item_per_line(value: dict[str, list[Any]] | list[Any]) -> str:
    """JSON with one list item per line, a phrase's tokens on one line too, so that a rebuilt model's lists
    diff line by line (`indent=0` put every token of 27,851 phrases on a line of its own)."""
    if isinstance(value, list):
        return "[\n" + ",\n".join(json.dumps(item, ensure_ascii=False) for item in value) + "\n]"
    return (
        "{\n"
        + ",\n".join(
            f"{json.dumps(key, ensure_ascii=False)}: {_one_item_per_line(items)}" for key, items in value.items()
        )
        + "\n}"
    )


_MODEL_CODE = re.compile(r"[^\W\d_]-[A-Z0-9]{1,3}$")  # "Iskander-M", "Il-86", "R-27T"

# Nobility particles before a surname: "von", "van", "de"; some take a second word ("von der", "van den").
_PARTICLES = frozenset({"von", "van", "zu", "de", "di", "da", "del", "du", "le", "la", "ten", "vom"})
_PARTICLE_ARTICLES = frozenset({"der", "den", "dem", "zu"})


def _particles_at(doc: Doc, i: int) -> int:
    """How many tokens of a nobility particle start at token i: 0, 1 ("von") or 2 ("von der")."""
    if i >= len(doc) or doc[i].text not in _PARTICLES:
        return 0
    return 2 if i + 1 < len(doc) and doc[i + 1].text in _PARTICLE_ARTICLES else 1


def _capitalised_words_at(doc: Doc, i: int, most: int) -> int:
    n = 0
    while n < most and i + n < len(doc) and _capitalised_word(doc[i + n].text):
        n += 1
    return n


def _capitalised_word(text: str) -> bool:
    return text[:1].isupper() and (text.isalpha() or "-" in text)
