"""Word-list features for the NER network: spaCy architecture `textlake.LexiconHashEmbed.v1`.

German capitalises every noun, so a capitalised word the 4,000 training sentences never showed is as
likely "Glas" as "Gauck". A lexicon says what such a word is elsewhere in German: from Wiktionary (via
the `german-nouns` package) a common noun in any declined form, a first name, a surname, a place,
another proper name; from the place gazetteer a place; from wordfreq how common the word is; from the
HanTa tagger's morphology whether the word alone reads as a proper noun. The embedding layer adds these
nine yes/no flags to spaCy's hashed word features, and the network learns how far to trust them in
context ("Koch" is a cook and a surname).

The lexicon is stored in the model's weights file (a thinc layer attribute), so loading the model needs
no word lists, only this module imported (textlake.nlp.entities does it). It is kept as two arrays, the
word forms' spaCy string IDs (what a token already carries as `orth` and `lower`: the string's hash, or
for the few strings spaCy knows as symbols, "mark", "det", "_", their symbol number) and their flags:
~10 bytes a form where a dict of strings takes ~150, in every process that loads the model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy
import srsly
from spacy.ml.models.tok2vec import MultiHashEmbed
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import (
    Maxout,
    Model,
    Ragged,
    chain,
    concatenate,
    deserialize_attr,
    list2ragged,
    ragged2list,
    serialize_attr,
    with_array,
)
from thinc.types import Floats2d

# How common a word is in German, on wordfreq's Zipf scale (3 = once per million words): a name the
# news repeats ("Merkel" 4.8) is common, a rare one ("Tschiderer" 1.1) is not; most rare capitalised
# words that are not listed nouns are names.
ZIPF_LEVELS = {"zipf_2_5": 2.5, "zipf_3_5": 3.5, "zipf_4_5": 4.5}
# The order is the model's input order: a trained network depends on it.
FLAGS = ("noun", "first_name", "surname", "place", "proper_name", *ZIPF_LEVELS, "name_by_morphology")
BIT = {flag: 1 << i for i, flag in enumerate(FLAGS)}

# german-nouns marks each Wiktionary entry with kinds of noun; a plain "Substantiv" is a common noun.


def with_genitive(name: str) -> list[str]:
    """The name and its genitive: "Berlin", "Berlins"; "Paris" has none of its own."""
    return [name] if name.endswith(("s", "x", "z", "ß")) else [name, name + "s"]


@dataclass(frozen=True)
class HashedLexicon:
    """Word forms by their spaCy string ID (sorted) beside their flags: what the network looks up."""

    hashes: numpy.ndarray  # uint64, ascending
    flags: numpy.ndarray  # uint16, one per hash

    @classmethod
    def from_words(cls, lexicon: Mapping[str, int]) -> HashedLexicon:
        hashes = numpy.fromiter((get_string_id(word) for word in lexicon), dtype="uint64", count=len(lexicon))
        flags = numpy.fromiter(lexicon.values(), dtype="uint16", count=len(lexicon))
        order = numpy.argsort(hashes, kind="stable")
        return cls(hashes[order], flags[order])

    def codes(self, hashes: numpy.ndarray) -> numpy.ndarray:
        """The flag bits of each hash, 0 for a word the lexicon does not know."""
        if not len(self.hashes):
            return numpy.zeros(len(hashes), dtype="uint16")
        at = numpy.minimum(numpy.searchsorted(self.hashes, hashes), len(self.hashes) - 1)
        codes: numpy.ndarray = numpy.where(self.hashes[at] == hashes, self.flags[at], 0).astype("uint16")
        return codes

    def rows(self, orth: numpy.ndarray, lower: numpy.ndarray) -> numpy.ndarray:
        """One row of 0/1 per token, one column per flag. Word lists are keyed by spelling ("Glas"),
        frequencies by lower case ("glas"): a word gets both."""
        codes = self.codes(orth) | self.codes(lower)
        rows: numpy.ndarray = ((codes[:, None] >> numpy.arange(len(FLAGS))) & 1).astype("float32")
        return rows


@serialize_attr.register(HashedLexicon)
def _lexicon_to_bytes(_: HashedLexicon, value: HashedLexicon, name: str, model: Model) -> bytes:  # type: ignore[type-arg]
    stored: bytes = srsly.msgpack_dumps({"hashes": value.hashes.tobytes(), "flags": value.flags.tobytes()})
    return stored


@deserialize_attr.register(HashedLexicon)
def _lexicon_from_bytes(_: HashedLexicon, value: bytes, name: str, model: Model) -> HashedLexicon:  # type: ignore[type-arg]
    stored = srsly.msgpack_loads(value)
    if isinstance(stored.get("hashes"), bytes) and isinstance(stored.get("flags"), bytes):
        return HashedLexicon(
            numpy.frombuffer(stored["hashes"], dtype="uint64"), numpy.frombuffer(stored["flags"], dtype="uint16")
        )
    return HashedLexicon.from_words(stored)  # models up to 0.4.0 stored the word → flags dict itself


def flags_of(lexicon: HashedLexicon, words: Iterable[str]) -> numpy.ndarray:
    """One row per word, one 0/1 column per flag."""
    words = list(words)
    orth = numpy.fromiter((get_string_id(word) for word in words), dtype="uint64", count=len(words))
    lower = numpy.fromiter((get_string_id(word.lower()) for word in words), dtype="uint64", count=len(words))
    return lexicon.rows(orth, lower)


def lexicon_flags(path: str | None) -> Model[list[Doc], Ragged]:
    """Docs → their tokens' lexicon flags. The lexicon is read from `path` when the model is initialised
    for training, and from the model's own weights file after that."""

    def forward(
        model: Model[list[Doc], Ragged], docs: list[Doc], is_train: bool
    ) -> tuple[Ragged, Callable[[Ragged], list[Doc]]]:
        hashes = [doc.to_array(["ORTH", "LOWER"]) for doc in docs if len(doc)]
        both = numpy.concatenate(hashes) if hashes else numpy.zeros((0, 2), dtype="uint64")
        flags = model.attrs["lexicon"].rows(both[:, 0], both[:, 1])
        lengths = model.ops.asarray1i([len(doc) for doc in docs])
        return Ragged(model.ops.asarray2f(flags), lengths), lambda d_flags: []

    def init(model: Model[list[Doc], Ragged], X: object = None, Y: object = None) -> None:
        if path:
            model.attrs["lexicon"] = HashedLexicon.from_words(srsly.read_json(path))

    empty = HashedLexicon.from_words({})
    return Model("lexicon_flags", forward, init=init, attrs={"lexicon": empty}, dims={"nO": len(FLAGS)})


@registry.architectures("textlake.LexiconHashEmbed.v1")  # type: ignore[untyped-decorator]  # catalogue is untyped
def lexicon_hash_embed(
    width: int, attrs: list[str], rows: list[int], lexicon: str | None = None
) -> Model[list[Doc], list[Floats2d]]:
    """spaCy's MultiHashEmbed (hashed NORM/PREFIX/SUFFIX/SHAPE), its output joined with the lexicon flags
    and mixed back to `width` by one more maxout layer."""
    hashed = MultiHashEmbed(width=width, attrs=attrs, rows=rows, include_static_vectors=False)
    return chain(
        concatenate(chain(hashed, list2ragged()), lexicon_flags(lexicon)),
        with_array(Maxout(width, width + len(FLAGS), nP=3, dropout=0.0, normalize=True)),
        ragged2list(),
    )
