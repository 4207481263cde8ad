"""Entities: named-entity mentions (PER, LOC, ORG, MISC) from any spaCy pipeline, per sentence.

NER runs sentence by sentence, so every mention lies inside its sentence by construction and the model
sees the same unit it was trained on (GermEval annotates sentences).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Protocol

from textlake.nlp.canonical import is_role
from textlake.nlp.ner import DEFAULT_MODEL_DIR

if TYPE_CHECKING:  # spaCy is imported when a model loads, not with this module
    from spacy.language import Language
    from spacy.tokens import Doc, Span

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
    # What found it: "model", the gazetteer's "list" or "first_name" rule (with "+model" when the model found
    # the same span and label), "given_name" (the model's surname with the given name before it), or
    # "repeated" by document consistency; its confidence is calibrated by it.
    found_by: str = "model"


class Recognizer(Protocol):
    """What the language stage needs of an entity model: mentions per sentence, the names it was given as a
    list (kept whole by `canonical_names`), and a name for the `model` column."""

    name: str
    known_names: frozenset[str]
    given_name: Callable[[str], bool] | None  # whether a word may be a given name (None: no test)

    def recognise(self, sentences: Sequence[str]) -> list[list[Mention]]: ...


class EntityRecognizer:
    """Wraps a spaCy `Language`; any pipeline with an `ner` (or `entity_ruler`) component plugs in."""

    def __init__(self, nlp: Language, max_sentence_chars: int, batch_size: int = 256):
        self.nlp = nlp
        self.max_sentence_chars = max_sentence_chars
        self.batch_size = batch_size
        self.name = f"{nlp.meta.get('name', 'spacy')}-{nlp.meta.get('version', '0')}"
        self.known_names: frozenset[str] = _ruler_names(nlp)
        self.given_name = _given_name_test(nlp)

    def recognise(self, sentences: Sequence[str]) -> list[list[Mention]]:
        """Mentions per sentence, in order, with labels mapped to PER/LOC/ORG/MISC. A "sentence" longer
        than `max_sentence_chars` is a segmentation failure (the checks warn about it) and gets none: spaCy
        refuses texts over nlp.max_length (1M) and slows down far below that."""
        results: list[list[Mention]] = []
        texts = (text if len(text) <= self.max_sentence_chars else "" for text in sentences)
        for doc in self.nlp.pipe(texts, batch_size=self.batch_size):
            results.append(
                [
                    Mention(
                        start,
                        end,
                        doc.text[start:end],
                        LABEL_MAP[ent.label_],
                        _found_by(ent, start, end),
                    )
                    for ent in doc.ents
                    if ent.label_ in LABEL_MAP
                    for start, end in [(self._with_given_name(doc, ent), self._with_double_surname(doc, ent))]
                ]
            )
        return results

    def _with_given_name(self, doc: Doc, ent: Span) -> int:
        """Where a person's mention starts: a surname alone takes the given name the model left out
        before it ("Gülsen Celebi", the model tagging "Celebi"): a capitalised word right before, no
        role, no entity, that the lexicon knows as a first name or not as a noun, a place or a common
        word."""
        if self.given_name is None or ent.label_ not in ("PER", "PERSON") or len(ent) != 1 or ent.start == 0:
            return int(ent.start_char)
        before = doc[ent.start - 1]
        if before.ent_type_ or before.whitespace_ != " " or not before.is_title or is_role(before.text):
            return int(ent.start_char)
        return int(before.idx) if self.given_name(before.text) else int(ent.start_char)

    def _with_double_surname(self, doc: Doc, ent: Span) -> int:
        """Where a person's mention ends: a given name alone takes the double surname the model left out
        after it ("Laurenz Ennser-Jedenastik", the model tagging "Laurenz"): a word right after it, no
        entity, of capitalised parts joined by hyphens."""
        if self.given_name is None or ent.label_ not in ("PER", "PERSON") or len(ent) != 1 or ent.end >= len(doc):
            return int(ent.end_char)
        after = doc[ent.end]
        if after.ent_type_ or ent[-1].whitespace_ != " " or not _double_surname(after.text):
            return int(ent.end_char)
        return int(after.idx + len(after.text)) if self.given_name(ent.text) else int(ent.end_char)


def _double_surname(word: str) -> bool:
    """ "Ennser-Jedenastik", "Schimmer-Göresz": capitalised parts joined by hyphens, each a word of letters
    with lower case after its capital (not "EU-Kommissarin", "SPD-Chef")."""
    parts = word.split("-")
    return len(parts) >= 2 and all(p[:1].isupper() and p[1:].islower() and p.isalpha() and len(p) > 1 for p in parts)


def _found_by(ent: Span, start: int, end: int) -> str:
    """What found an entity: what the gazetteer wrote in its kb_id, or the model; "given_name" where the
    mention was extended to the given name before the model's surname, or to the double surname after the
    model's given name."""
    return "given_name" if start != ent.start_char or end != ent.end_char else ent.kb_id_ or "model"


def _given_name_test(nlp: Language) -> Callable[[str], bool] | None:
    """A test of whether a word is a given name, from the shipped network's lexicon (None for another
    pipeline): listed as a first name, or no noun, no place and rarer than 3.5 on the Zipf scale."""
    from textlake.nlp.ner.lexicon import FLAGS, flags_of

    lexicon = next(
        (node.attrs["lexicon"] for _, c in nlp.pipeline if hasattr(c, "model") for node in c.model.walk()
         if "lexicon" in node.attrs),
        None,
    )  # fmt: skip
    if lexicon is None:
        return None
    first, noun, place, common = (FLAGS.index(f) for f in ("first_name", "noun", "place", "zipf_3_5"))

    def given_name(word: str) -> bool:
        flags = flags_of(lexicon, [word])[0]
        if flags[first]:
            return True
        if flags[noun] or flags[place] or flags[common] or "-" in word:
            return False
        # a compound whose last part is a noun ("Parteikollegen", "Architektenbüro") is no name
        ends = [word[i:].capitalize() for i in range(3, len(word) - 3)]
        return not any(row[noun] for row in flags_of(lexicon, ends)) if ends else True

    return given_name


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
