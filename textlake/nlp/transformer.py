"""The opt-in transformer NER backend: the fine-tuned multilingual-e5-small teacher, int8, on onnxruntime.

`--ner-model transformer` (or a folder holding `model.onnx`, `tokenizer.json`, `card.json`) runs it in place
of the shipped spaCy model: better entities (GermEval dev F1 0.776 against 0.648), 5 to 7 times slower. Its
files are built, not shipped (118 MB; `make transformer` trains the teacher from ../shared and writes them, see
docs/pretrained-encoder.md); it needs the `transformer` extra (onnxruntime, tokenizers).

Each sentence is split into words as GermEval splits them (spaCy's German tokenizer: punctuation apart,
abbreviations kept), the words into sub-word pieces; a word's tag is the one its first piece gets, and
words of one label in a row are one entity (`entity_spans`).
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from textlake.nlp.entities import Mention
from textlake.nlp.ner import DEFAULT_MODEL_DIR

TRANSFORMER_MODEL_DIR = DEFAULT_MODEL_DIR.parent / "transformer"
MODEL_FILE, TOKENIZER_FILE, CARD_FILE = "model.onnx", "tokenizer.json", "card.json"


def is_transformer_model(model: str) -> bool:
    """Whether `--ner-model` names the transformer backend: 'transformer' or a folder with its files."""
    return model == "transformer" or (Path(model) / MODEL_FILE).is_file()


class TransformerRecognizer:
    """`recognise` as `EntityRecognizer.recognise` does, with the ONNX teacher."""

    known_names: frozenset[str] = frozenset()  # no list of names: the network alone decides
    given_name: Callable[[str], bool] | None = None

    def __init__(self, folder: Path, max_sentence_chars: int, threads: int = 1):
        import onnxruntime
        import spacy
        from tokenizers import Tokenizer

        card = json.loads((folder / CARD_FILE).read_text(encoding="utf-8"))
        self.name = card["name"]
        self.tags: list[str] = card["made_from"]["labels"]
        self.max_tokens: int = card["max_tokens"]
        self.max_sentence_chars = max_sentence_chars
        self.tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.words = spacy.blank("de").tokenizer
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(folder / MODEL_FILE), options, providers=["CPUExecutionProvider"]
        )

    def recognise(self, sentences: Sequence[str]) -> list[list[Mention]]:
        words = [
            [(t.idx, t.idx + len(t.text)) for t in self.words(text) if not t.is_space]
            if len(text) <= self.max_sentence_chars
            else []
            for text in sentences
        ]
        tags = self.tag_words([[text[a:b] for a, b in spans] for text, spans in zip(sentences, words, strict=True)])
        return [
            [
                Mention(spans[a][0], spans[b - 1][1], text[spans[a][0] : spans[b - 1][1]], label)
                for a, b, label in entity_spans(word_tags)
            ]
            for text, spans, word_tags in zip(sentences, words, tags, strict=True)
        ]

    def tag_words(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """Each word's tag; a word past the model's `max_tokens` pieces is O."""
        pieces = [word_pieces(self.tokenizer, words, self.max_tokens) if words else ([], []) for words in sentences]
        predicted = self._tag([ids for ids, _ in pieces])
        return [
            [self.tags[tags[p]] if p >= 0 else "O" for p in first]
            for (_, first), tags in zip(pieces, predicted, strict=True)
        ]

    def _tag(self, token_ids: list[list[int]]) -> list[np.ndarray]:
        """The most probable tag of every piece, a sentence at a time: onnxruntime quantizes activations
        with one scale per call, so a sentence batched with others could be tagged otherwise than alone
        (measured: "Staatsanwaltschaft Wien" ORG alone, "Wien" LOC beside a longer sentence). Alone, a
        sentence's entities never depend on its neighbours, and no piece is padding (as fast, measured)."""
        out: list[np.ndarray] = []
        for ids in token_ids:
            if not ids:
                out.append(np.zeros(0, dtype=np.int64))
                continue
            row = np.array([ids], dtype=np.int64)
            logits: Any = self.session.run(["logits"], {"ids": row, "mask": np.ones_like(row)})[0]
            out.append(logits[0].argmax(-1))
        return out


def word_pieces(tokenizer: Any, words: Sequence[str], max_tokens: int) -> tuple[list[int], list[int]]:
    """Token ids of the words (`<s>` … `</s>`, each word with the "▁" of a space before it) and each word's
    first token's position (-1 for a word cut off at `max_tokens`); as the teacher was trained and is run."""
    encoding = tokenizer.encode(list(words), is_pretokenized=True)
    ids = encoding.ids[: max_tokens - 1]
    if ids[-1] != encoding.ids[-1]:
        ids.append(encoding.ids[-1])  # keep </s> after a cut
    first = [-1] * len(words)
    for position, word in enumerate(encoding.word_ids[: len(ids) - 1]):
        if word is not None and first[word] < 0:
            first[word] = position
    return ids, first


def entity_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Entities as (first word, last word + 1, label) from BIO tags. I- after O or another label starts one;
    B- right after a word of the same label continues it: the teacher tags some names in parts ("Sankt" and
    "Petersburg" both B-LOC, "An" and "Hyong-chan" both B-PER: 401 such pairs in 1,000 10kGNAD articles),
    and two names of one label with nothing between them are rare in news (GermEval dev F1 0.7737 → 0.7758,
    UNER PUD 0.7887 → 0.7890)."""
    spans: list[tuple[int, int, str]] = []
    start: int | None = None
    label = ""
    for i, tag in enumerate([*tags, "O"]):
        continues = tag != "O" and start is not None and tag[2:] == label
        if start is not None and not continues:
            spans.append((start, i, label))
            start = None
        if tag != "O" and not continues:
            start, label = i, tag[2:]
    return spans


def _folder(model: str) -> Path:
    return TRANSFORMER_MODEL_DIR if model == "transformer" else Path(model)


def transformer_unavailable(model: str) -> str | None:
    """Why the backend `model` names cannot load here, in one line; None when it can."""
    folder = _folder(model)
    missing = [name for name in (MODEL_FILE, TOKENIZER_FILE, CARD_FILE) if not (folder / name).is_file()]
    if missing:
        return (
            f"the transformer NER model is missing at {folder} ({', '.join(missing)}); build it with `make transformer`"
        )
    if any(importlib.util.find_spec(module) is None for module in ("onnxruntime", "tokenizers")):
        return "the transformer NER model needs onnxruntime and tokenizers: uv sync --extra transformer"
    return None


@cache
def load_transformer(model: str, max_sentence_chars: int, threads: int = 1) -> TransformerRecognizer:
    """The backend's files in `model` ('transformer': the folder `make transformer` writes), loaded once
    per process."""
    if why := transformer_unavailable(model):
        raise FileNotFoundError(why)
    return TransformerRecognizer(_folder(model), max_sentence_chars, threads)
