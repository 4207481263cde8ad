"""The opt-in transformer NER backend (`--ner-model transformer`): the teacher as an int8 ONNX graph.

The graph tests need the `model` dependency group (JAX for the teacher's own forward pass, onnx) and the
tests of the built backend its files (`make transformer`); each skips, saying why, without them.
"""

from __future__ import annotations

import importlib.util
import subprocess

import numpy as np
import pytest
from conftest import BIN, SEED_ARTICLE

from textlake.nlp.transformer import TRANSFORMER_MODEL_DIR, entity_spans

needs_model_group = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("jax", "onnx", "onnxruntime")),
    reason="needs the model dependency group (JAX, onnx, onnxruntime): uv sync --group model --extra transformer",
)
built = (TRANSFORMER_MODEL_DIR / "model.onnx").is_file()
needs_the_built_backend = pytest.mark.skipif(
    not built, reason=f"needs the backend's files in {TRANSFORMER_MODEL_DIR} (make transformer)"
)


@pytest.mark.parametrize(
    ("tags", "entities"),
    [
        (["B-PER", "I-PER", "O", "B-LOC"], [(0, 2, "PER"), (3, 4, "LOC")]),
        (["O", "I-ORG", "I-ORG"], [(1, 3, "ORG")]),  # I- after O starts an entity
        (["B-PER", "I-LOC"], [(0, 1, "PER"), (1, 2, "LOC")]),  # I- of another label starts another
        (["B-LOC", "B-LOC", "O", "B-LOC"], [(0, 2, "LOC"), (3, 4, "LOC")]),  # "Sankt Petersburg", tagged in parts
        (["O", "O"], []),
    ],
)
def test_words_of_one_label_in_a_row_are_one_entity(tags, entities):
    assert entity_spans(tags) == entities


@pytest.mark.skipif(built, reason="the backend is built in this checkout; a clean clone shows the message")
def test_a_run_asking_for_the_backend_before_it_is_built_says_how_to_build_it(tmp_path):
    result = subprocess.run(
        [str(BIN / "textlake"), "run", str(SEED_ARTICLE), "--data-dir", str(tmp_path / "data"),
         "--ner-model", "transformer"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 1
    assert "the transformer NER model is missing" in result.stderr
    assert "make transformer" in result.stderr
    assert "Traceback" not in result.stderr


@needs_model_group
@pytest.mark.slow
def test_the_graph_computes_what_the_teacher_computes():
    """A small random encoder (2 layers, 2 heads, 16 wide) as an ONNX graph gives the logits of the JAX
    forward pass the teacher was trained with, padding included."""
    import onnxruntime

    from textlake.training.e5_onnx import build_graph
    from textlake.training.e5_tagger import TAGS, make_forward

    rng = np.random.default_rng(0)
    hidden, layers, ffn, vocab = 16, 2, 32, 50

    def r(*shape):
        return rng.standard_normal(shape).astype(np.float32) * 0.3

    params = {
        "position": r(40, hidden), "token_type": r(hidden), "emb_ln_w": 1 + r(hidden), "emb_ln_b": r(hidden),
        "layers": {
            "qkv_w": r(layers, hidden, 3 * hidden), "qkv_b": r(layers, 3 * hidden),
            "out_w": r(layers, hidden, hidden), "out_b": r(layers, hidden),
            "ln1_w": 1 + r(layers, hidden), "ln1_b": r(layers, hidden),
            "ffn_in_w": r(layers, hidden, ffn), "ffn_in_b": r(layers, ffn),
            "ffn_out_w": r(layers, ffn, hidden), "ffn_out_b": r(layers, hidden),
            "ln2_w": 1 + r(layers, hidden), "ln2_b": r(layers, hidden),
        },
        "head_w": r(hidden, len(TAGS)), "head_b": r(len(TAGS)),
    }  # fmt: skip
    words = r(vocab, hidden)
    ids = np.array([[0, 5, 9, 33, 2, 1, 1], [0, 7, 7, 8, 12, 40, 2]], dtype=np.int64)
    mask = (ids != 1).astype(np.int64)

    model = build_graph(params, words, heads=2, eps=1e-5)
    session = onnxruntime.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    got = session.run(["logits"], {"ids": ids, "mask": mask})[0]
    want = np.asarray(make_forward(2, 1e-5)(params, words, ids.astype(np.int32), mask.astype(np.int32)))
    assert got.shape == (2, 7, len(TAGS))
    np.testing.assert_allclose(got[mask.astype(bool)], want[mask.astype(bool)], atol=1e-4)


@needs_the_built_backend
def test_the_backend_finds_the_seeds_people_and_places_at_their_offsets():
    from textlake.nlp.transformer import load_transformer

    recognizer = load_transformer("transformer", max_sentence_chars=2_000)
    sentences = [
        "Der russische Präsident Wladimir Putin hat Alexander Lukaschenko in Minsk empfangen.",
        "„Wir werden das prüfen“, sagte ein Sprecher der Staatsanwaltschaft Wien.",
        "",
    ]
    found = recognizer.recognise(sentences)
    assert [(m.text, m.label) for m in found[0]] == [
        ("Wladimir Putin", "PER"), ("Alexander Lukaschenko", "PER"), ("Minsk", "LOC")
    ]  # fmt: skip
    assert found[2] == []
    for sentence, mentions in zip(sentences, found, strict=True):
        assert all(sentence[m.start : m.end] == m.text for m in mentions)
    # Alone or with others, a sentence gets the same entities (a sentence is tagged at a time).
    assert recognizer.recognise(sentences[1:2]) == found[1:2]


@needs_the_built_backend
@pytest.mark.slow
def test_a_run_with_the_backend_keeps_the_seed_expectations(tmp_path):
    from seed_expectations import SEED_MENTIONS

    data = tmp_path / "data"
    subprocess.run(
        [str(BIN / "textlake"), "run", str(SEED_ARTICLE), "--data-dir", str(data),
         "--ner-model", "transformer"],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    import duckdb

    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as db:
        counts = dict(db.sql("SELECT canonical, count(*) FROM entities GROUP BY canonical").fetchall())
        models = db.sql("SELECT DISTINCT model FROM entities").fetchall()
    for name, mentions in SEED_MENTIONS.items():
        assert counts.get(name) == mentions, name
    assert models == [("e5-small-ner-int8",)]
