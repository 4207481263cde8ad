"""A gazetteer the statistical model can override: spaCy component `textlake_gazetteer`.

Runs after `ner`. A name from the list becomes an entity where the model found none; where the model
found part of it ("Petersburg" in "St. Petersburg") or exactly it under another label, the gazetteer
wins; where the model found something longer that contains it, the model's entity stays, unless that
is a MISC span (the model's least reliable label: "Politik der Nachbarländer Litauen").
"""

from __future__ import annotations

import json
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans


@Language.factory("textlake_gazetteer")
def make_gazetteer(nlp: Language, name: str) -> Gazetteer:
    return Gazetteer(nlp, name)


class Gazetteer:
    def __init__(self, nlp: Language, name: str = "textlake_gazetteer"):
        self.nlp = nlp
        self.name = name
        self.names: dict[str, list[str]] = {}
        self.matcher = PhraseMatcher(nlp.vocab)

    @property
    def patterns(self) -> list[dict]:
        return [{"label": label, "pattern": name} for label, names in self.names.items() for name in names]

    def add(self, label: str, names: list[str]) -> None:
        self.names.setdefault(label, []).extend(names)
        self.matcher.add(label, list(self.nlp.tokenizer.pipe(names)))

    def __call__(self, doc: Doc) -> Doc:
        found = filter_spans([Span(doc, start, end, label=label) for label, start, end in self.matcher(doc)])
        entities = list(doc.ents)
        for span in found:
            overlapping = [e for e in entities if e.start < span.end and span.start < e.end]
            if not overlapping:
                entities.append(span)
            elif all(span.start <= e.start and e.end <= span.end for e in overlapping) or all(
                e.label_ == "MISC" and e.start <= span.start and span.end <= e.end for e in overlapping
            ):
                entities = [e for e in entities if e not in overlapping] + [span]
        doc.ents = sorted(entities, key=lambda e: e.start)
        return doc

    def to_disk(self, path, exclude=()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "names.json").write_text(json.dumps(self.names, ensure_ascii=False, indent=0), encoding="utf-8")

    def from_disk(self, path, exclude=()) -> Gazetteer:
        for label, names in json.loads((Path(path) / "names.json").read_text(encoding="utf-8")).items():
            self.add(label, names)
        return self
