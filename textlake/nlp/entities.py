"""Entities: named-entity mentions (PER, LOC, ORG, MISC) from any spaCy pipeline, per sentence.

NER runs sentence by sentence, so every mention lies inside its sentence by construction and the model
sees the same unit it was trained on (GermEval annotates sentences).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from textlake.nlp.ner import DEFAULT_MODEL_DIR

if TYPE_CHECKING:  # spaCy is imported when a model loads, not with this module
    from spacy.language import Language

# Labels of other schemes (OntoNotes, WikiNER, GermEval) → textlake's; unlisted labels (DATE, CARDINAL…) are dropped.
LABEL_MAP = {
    "PER": "PER", "PERSON": "PER",
    "LOC": "LOC", "GPE": "LOC", "LOCATION": "LOC", "FAC": "LOC",
    "ORG": "ORG", "ORGANIZATION": "ORG",
    "MISC": "MISC", "OTH": "MISC", "NORP": "MISC", "EVENT": "MISC", "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC", "LAW": "MISC", "LANGUAGE": "MISC",
}  # fmt: skip


@dataclass(frozen=True)
class Mention:
    start: int  # code points into the sentence
    end: int
    text: str
    label: str


class EntityRecognizer:
    """Wraps a spaCy `Language`; any pipeline with an `ner` (or `entity_ruler`) component plugs in."""

    def __init__(self, nlp: Language, max_sentence_chars: int, batch_size: int = 256):
        self.nlp = nlp
        self.max_sentence_chars = max_sentence_chars
        self.batch_size = batch_size
        self.name = f"{nlp.meta.get('name', 'spacy')}-{nlp.meta.get('version', '0')}"
        self.known_names: frozenset[str] = _ruler_names(nlp)

    def recognise(self, sentences: Sequence[str]) -> list[list[Mention]]:
        """Mentions per sentence, in order, with labels mapped to PER/LOC/ORG/MISC. A "sentence" longer
        than `max_sentence_chars` is a segmentation failure (the checks warn about it) and gets none: spaCy
        refuses texts over nlp.max_length (1M) and slows down far below that."""
        results: list[list[Mention]] = []
        texts = (text if len(text) <= self.max_sentence_chars else "" for text in sentences)
        for doc in self.nlp.pipe(texts, batch_size=self.batch_size):
            results.append(
                [
                    Mention(ent.start_char, ent.end_char, ent.text, LABEL_MAP[ent.label_])
                    for ent in doc.ents
                    if ent.label_ in LABEL_MAP
                ]
            )
        return results


def _ruler_names(nlp: Language) -> frozenset[str]:
    """Names in the pipeline's gazetteer (an entity ruler), which the canonical-name rules treat as known."""
    names: set[str] = set()
    for _, component in nlp.pipeline:
        for pattern in getattr(component, "patterns", []) or []:
            if isinstance(pattern.get("pattern"), str):
                names.add(pattern["pattern"])
    return frozenset(names)


@cache
def load_recognizer(model: str, max_sentence_chars: int) -> EntityRecognizer:
    """'default' is the German model shipped in the package; otherwise a spaCy package name or a path."""
    import spacy

    import textlake.nlp.ner.gazetteer  # noqa: F401 — registers the `textlake_gazetteer` component
    import textlake.nlp.ner.lexicon  # noqa: F401 — registers the shipped network's `textlake.LexiconHashEmbed.v1`

    _multiply_with_numpy()
    location = DEFAULT_MODEL_DIR if model == "default" else model
    if model == "default" and not DEFAULT_MODEL_DIR.is_dir():
        raise FileNotFoundError(
            f"the shipped NER model is missing at {DEFAULT_MODEL_DIR}; rebuild it with `make model`"
        )
    # Only the components that find entities are needed; a full pipeline's tagger and parser cost time.
    nlp = spacy.load(location, exclude=["tagger", "parser", "lemmatizer", "morphologizer", "attribute_ruler", "senter"])
    return EntityRecognizer(nlp, max_sentence_chars)


def _multiply_with_numpy() -> None:
    """Matrix products through numpy's BLAS (OpenBLAS, which picks its kernels for the CPU it runs on)
    instead of thinc's default, the BLIS that the `blis` wheel carries: on the AMD EPYC machines textlake
    is measured on, BLIS falls back to its generic kernels and multiplies at a third of OpenBLAS's pace on
    one core, and the network's products are half the language stage's time. Same results (sentences,
    entities and quotations of 2,500 articles compared). Set for this process before the model is built:
    each layer keeps the ops it was made with."""
    from thinc.api import NumpyOps, set_current_ops

    set_current_ops(NumpyOps(use_blis=False))
