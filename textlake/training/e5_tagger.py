"""The NER teacher: multilingual-e5-small with a token-classification head, fine-tuned in JAX (issue 35, step 2).

The encoder is the one `e5_encoder` runs in numpy (same weights, same post-LN layers), written once more in
JAX so that it can be differentiated. Each word's label sits on its first sub-word token; the other
sub-words, `<s>`, `</s>`, padding and the words a corpus leaves unknown carry no loss. The word-embedding
matrix (250,002 × 384, 81% of the weights) stays frozen: it is most of the memory and of the optimiser's
work, and a few thousand news sentences could only teach it the rows of the words they happen to hold.

    python -m textlake.training.e5_tagger --out build/teacher      # train, choose by GermEval dev
    python -m textlake.training.e5_tagger --out build/teacher --evaluate  # its dev and UNER PUD scores
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from textlake.nlp.entities import Mention
from textlake.nlp.transformer import word_pieces
from textlake.training.e5_tokenizer import build_tokenizer
from textlake.training.e5_weights import E5Weights, read_e5_file
from textlake.training.ner.corpora import UNKNOWN, read_corpus
from textlake.training.ner.germeval import GoldSentence, read_germeval

TAGS = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC")
TAG_INDEX = {tag: i for i, tag in enumerate(TAGS)}
IGNORED = -1  # a token with no label to learn: not a word's first sub-word, or a label the corpus leaves unknown

# Training sentences are cut at this many sub-word tokens (GermEval's longest reach ~200; 99% fit in 96).
TRAIN_TOKENS = 128
# Batches are padded to a multiple of this, so that JAX compiles a handful of shapes, not one per length.
LENGTH_STEP = 16

Params = dict[str, Any]


@dataclass(frozen=True)
class Example:
    ids: np.ndarray  # int32 [tokens], <s> … </s>
    labels: np.ndarray  # int32 [tokens], a tag index on each word's first sub-word, IGNORED elsewhere


def to_example(tokenizer: Any, sentence: GoldSentence, max_tokens: int = TRAIN_TOKENS) -> Example:
    ids, first = word_pieces(tokenizer, sentence.tokens, max_tokens)
    labels = np.full(len(ids), IGNORED, dtype=np.int32)
    for position, tag in zip(first, sentence.tags, strict=True):
        if position >= 0 and tag != UNKNOWN:
            labels[position] = TAG_INDEX[tag]
    return Example(np.array(ids, dtype=np.int32), labels)


def padded_length(tokens: int) -> int:
    return LENGTH_STEP * math.ceil(tokens / LENGTH_STEP)


def batches(
    examples: Sequence[Example], tokens_per_batch: int, pad_id: int, rng: random.Random
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Padded [batch, length] ids and labels, sentences of like length together, in shuffled order."""
    order = sorted(range(len(examples)), key=lambda i: (len(examples[i].ids), rng.random()))
    groups: list[list[int]] = []
    group: list[int] = []
    for i in order:
        length = padded_length(len(examples[i].ids))
        if group and length * (len(group) + 1) > tokens_per_batch:
            groups.append(group)
            group = []
        group.append(i)
    if group:
        groups.append(group)
    rng.shuffle(groups)
    for group in groups:
        yield padded([examples[i].ids for i in group], pad_id), padded([examples[i].labels for i in group], IGNORED)


def padded(rows: Sequence[Sequence[int] | np.ndarray], fill: int) -> np.ndarray:
    """The rows as one int32 [rows, length] array, filled to the longest rounded up to `LENGTH_STEP`."""
    array = np.full((len(rows), padded_length(max(len(row) for row in rows))), fill, dtype=np.int32)
    for at, row in enumerate(rows):
        array[at, : len(row)] = row
    return array


# The network --------------------------------------------------------------------------------------------------


def initial_params(weights: E5Weights, seed: int = 0) -> tuple[Params, np.ndarray]:
    """Trainable parameters (layers stacked on a leading axis, for `lax.scan`; a new head) and the frozen
    word embeddings."""
    t, cfg = weights.tensors, weights.config

    def stacked(name: str, transpose: bool = False) -> np.ndarray:
        arrays = [t[f"layer.{i}.{name}"] for i in range(cfg.layers)]
        return np.stack([a.T if transpose else a for a in arrays])

    layers = {
        "qkv_w": np.concatenate([stacked(f"attention.{p}.weight", True) for p in ("query", "key", "value")], axis=2),
        "qkv_b": np.concatenate([stacked(f"attention.{p}.bias") for p in ("query", "key", "value")], axis=1),
        "out_w": stacked("attention.output.weight", True),
        "out_b": stacked("attention.output.bias"),
        "ln1_w": stacked("attention.norm.weight"),
        "ln1_b": stacked("attention.norm.bias"),
        "ffn_in_w": stacked("ffn.input.weight", True),
        "ffn_in_b": stacked("ffn.input.bias"),
        "ffn_out_w": stacked("ffn.output.weight", True),
        "ffn_out_b": stacked("ffn.output.bias"),
        "ln2_w": stacked("ffn.norm.weight"),
        "ln2_b": stacked("ffn.norm.bias"),
    }
    rng = np.random.default_rng(seed)
    params: Params = {
        "position": t["embeddings.position"],
        "token_type": t["embeddings.token_type"][0],
        "emb_ln_w": t["embeddings.norm.weight"],
        "emb_ln_b": t["embeddings.norm.bias"],
        "layers": layers,
        "head_w": (rng.standard_normal((cfg.hidden, len(TAGS))) * 0.02).astype(np.float32),
        "head_b": np.zeros(len(TAGS), dtype=np.float32),
    }
    return params, t["embeddings.word"]


def make_forward(heads: int, eps: float) -> Callable[..., Any]:
    import jax
    import jax.numpy as jnp

    def layer_norm(x: Any, w: Any, b: Any) -> Any:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) * jax.lax.rsqrt(var + eps) * w + b

    def dropout(x: Any, key: Any, rate: float) -> Any:
        if key is None or rate == 0.0:
            return x
        keep = jax.random.bernoulli(key, 1.0 - rate, x.shape)
        return jnp.where(keep, x / (1.0 - rate), 0.0)

    def forward(params: Params, words: Any, ids: Any, mask: Any, key: Any = None, rate: float = 0.0) -> Any:
        batch, length = ids.shape
        hidden = words.shape[1]
        head_dim = hidden // heads
        x = words[ids] + params["position"][:length] + params["token_type"]
        x = layer_norm(x, params["emb_ln_w"], params["emb_ln_b"])
        key_bias = jnp.where(mask[:, None, None, :] > 0, 0.0, -1e9)
        layers = params["layers"]["qkv_w"].shape[0]
        keys = jax.random.split(key, layers * 2).reshape(layers, 2, -1) if key is not None else None

        def layer(x: Any, inputs: Any) -> tuple[Any, None]:
            p, layer_keys = inputs
            k1, k2 = (layer_keys[0], layer_keys[1]) if layer_keys is not None else (None, None)
            qkv = x @ p["qkv_w"] + p["qkv_b"]
            q, k, v = qkv.reshape(batch, length, 3, heads, head_dim).transpose(2, 0, 3, 1, 4)
            scores = (q / math.sqrt(head_dim)) @ k.transpose(0, 1, 3, 2) + key_bias
            context = (jax.nn.softmax(scores, axis=-1) @ v).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
            x = layer_norm(x + dropout(context @ p["out_w"] + p["out_b"], k1, rate), p["ln1_w"], p["ln1_b"])
            inner = jax.nn.gelu(x @ p["ffn_in_w"] + p["ffn_in_b"], approximate=False)
            x = layer_norm(x + dropout(inner @ p["ffn_out_w"] + p["ffn_out_b"], k2, rate), p["ln2_w"], p["ln2_b"])
            return x, None

        x, _ = jax.lax.scan(layer, x, (params["layers"], keys))
        # e5's last layer norm leaves its states small (root mean square ~0.3, where BERT's are ~1): scaled to
        # unit RMS, the head's logits move at Adam's pace, not a third of it.
        x = x * jax.lax.rsqrt((x * x).mean(-1, keepdims=True) + eps)
        if key is not None:
            x = dropout(x, jax.random.fold_in(key, 99), rate)
        return x @ params["head_w"] + params["head_b"]

    return forward


# Training ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingSettings:
    epochs: int = 4  # the teacher in the README's table: dev F1 0.790 after 3, 0.792 after 4
    learning_rate: float = 1e-4
    warmup_share: float = 0.06
    weight_decay: float = 0.01
    dropout: float = 0.1
    tokens_per_batch: int = 2048
    seed: int = 0


def train(
    examples: Sequence[Example],
    weights: E5Weights,
    settings: TrainingSettings,
    on_epoch: Callable[[int, Params], None],
    log: Callable[[str], None] = print,
) -> None:
    """Fine-tune encoder and head; `on_epoch(epoch, params)` after each epoch (numpy params)."""
    import jax
    import jax.numpy as jnp
    import optax

    cfg = weights.config
    params_np, words_np = initial_params(weights, settings.seed)
    params = jax.tree_util.tree_map(jnp.asarray, params_np)
    words = jnp.asarray(words_np)
    pad = weights.vocabulary.pad
    rng = random.Random(settings.seed)
    steps_per_epoch = sum(1 for _ in batches(examples, settings.tokens_per_batch, pad, random.Random(0)))
    total = steps_per_epoch * settings.epochs
    warmup = max(1, int(total * settings.warmup_share))
    lr = optax.join_schedules(
        [optax.linear_schedule(0.0, settings.learning_rate, warmup),
         optax.linear_schedule(settings.learning_rate, 0.0, total - warmup)],
        [warmup],
    )  # fmt: skip
    # No weight decay on biases and layer-norm scales, as BERT's recipe has it.
    decay_mask = jax.tree_util.tree_map_with_path(
        lambda path, _: (
            not any(str(getattr(k, "key", "")).endswith(("_b", "ln_w", "1_w", "2_w")) for k in path)
            and not any(getattr(k, "key", "") in ("position", "token_type") for k in path)
        ),
        params,
    )
    optimiser = optax.chain(
        optax.clip_by_global_norm(1.0), optax.adamw(lr, weight_decay=settings.weight_decay, mask=decay_mask)
    )
    state = optimiser.init(params)
    forward = make_forward(cfg.heads, cfg.layer_norm_eps)

    def loss_fn(params: Params, ids: Any, labels: Any, key: Any) -> Any:
        mask = (ids != pad).astype(jnp.int32)
        logits = forward(params, words, ids, mask, key, settings.dropout)
        valid = labels >= 0
        losses = optax.softmax_cross_entropy_with_integer_labels(logits, jnp.where(valid, labels, 0))
        return jnp.where(valid, losses, 0.0).sum() / jnp.maximum(valid.sum(), 1)

    @jax.jit  # type: ignore[untyped-decorator]
    def step(params: Params, state: Any, ids: Any, labels: Any, key: Any) -> tuple[Params, Any, Any]:
        loss, grads = jax.value_and_grad(loss_fn)(params, ids, labels, key)
        updates, state = optimiser.update(grads, state, params)
        return optax.apply_updates(params, updates), state, loss

    key = jax.random.PRNGKey(settings.seed)
    done = 0
    for epoch in range(1, settings.epochs + 1):
        started, losses = time.perf_counter(), []
        for ids, labels in batches(examples, settings.tokens_per_batch, pad, rng):
            key, sub = jax.random.split(key)
            params, state, loss = step(params, state, ids, labels, sub)
            losses.append(float(loss))
            done += 1
            if done % 50 == 0:
                log(
                    f"epoch {epoch} step {done}/{total} loss {np.mean(losses[-50:]):.4f} "
                    f"{(time.perf_counter() - started) / len(losses):.2f} s/step"
                )
        on_epoch(epoch, jax.tree_util.tree_map(np.asarray, params))


# Recognising ------------------------------------------------------------------------------------------------

_WORD = re.compile(r"\S+")


class E5Tagger:
    """Tags sentences with the fine-tuned teacher; `recognise` as `EntityRecognizer.recognise` does.

    Words are the sentence's whitespace-separated tokens (GermEval's and UNER's gold tokens, joined by
    single spaces); a word's tag is the one its first sub-word gets; I- after O starts an entity.
    """

    def __init__(self, params: Params, weights: E5Weights, max_tokens: int = 512, tokens_per_batch: int = 8192):
        import jax
        import jax.numpy as jnp

        self.weights = weights
        self.tokenizer = build_tokenizer(weights.vocabulary)
        self.tokenizer.no_padding()
        self.max_tokens = max_tokens
        self.tokens_per_batch = tokens_per_batch
        self.name = "e5-small-teacher"
        self._params = jax.tree_util.tree_map(jnp.asarray, params)
        self._words = jnp.asarray(weights.tensors["embeddings.word"])
        forward = make_forward(weights.config.heads, weights.config.layer_norm_eps)

        def predict(params: Params, words: Any, ids: Any, mask: Any) -> tuple[Any, Any]:
            probabilities = jax.nn.softmax(forward(params, words, ids, mask), axis=-1)
            return jnp.argmax(probabilities, axis=-1), jnp.max(probabilities, axis=-1)

        self._predict = jax.jit(predict)

    def recognise(self, sentences: Sequence[str]) -> list[list[Mention]]:
        spans = [[(m.start(), m.end()) for m in _WORD.finditer(text)] for text in sentences]
        tagged = self.tag_words(
            [[text[a:b] for a, b in word_spans] for text, word_spans in zip(sentences, spans, strict=True)]
        )
        results = []
        for text, word_spans, word_tags in zip(sentences, spans, tagged, strict=True):
            gold_like = GoldSentence([text[a:b] for a, b in word_spans], [tag for tag, _ in word_tags])
            results.append(
                [
                    Mention(
                        word_spans[a][0], word_spans[b - 1][1], text[word_spans[a][0] : word_spans[b - 1][1]], label
                    )
                    for a, b, label in gold_like.spans()
                ]
            )
        return results

    def tag_words(self, sentences: Sequence[Sequence[str]]) -> list[list[tuple[str, float]]]:
        """Each word's tag and the teacher's probability for it; a word cut off past `max_tokens` is O at 0.0."""
        pieces = [word_pieces(self.tokenizer, words, self.max_tokens) if words else ([], []) for words in sentences]
        predicted = self._tag([ids for ids, _ in pieces])
        return [
            [(TAGS[tags[p]], float(probabilities[p])) if p >= 0 else ("O", 0.0) for p in first]
            for (_, first), (tags, probabilities) in zip(pieces, predicted, strict=True)
        ]

    def _tag(self, token_ids: list[list[int]]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per token: the most probable tag and its probability; sentences of like length batched together."""
        pad = self.weights.vocabulary.pad
        empty = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))
        out: list[tuple[np.ndarray, np.ndarray]] = [empty] * len(token_ids)
        order = sorted((i for i in range(len(token_ids)) if token_ids[i]), key=lambda i: len(token_ids[i]))
        start = 0
        while start < len(order):
            end = start + 1  # sorted by length: the batch's last sentence is its longest
            while (
                end < len(order)
                and padded_length(len(token_ids[order[end]])) * (end - start + 1) <= self.tokens_per_batch
            ):
                end += 1
            group = order[start:end]
            ids = padded([token_ids[i] for i in group], pad)
            tags, probabilities = self._predict(self._params, self._words, ids, (ids != pad).astype(np.int32))
            tags, probabilities = np.asarray(tags), np.asarray(probabilities)
            for row, i in enumerate(group):
                out[i] = (tags[row, : len(token_ids[i])], probabilities[row, : len(token_ids[i])])
            start = end
        return out


# Saving -----------------------------------------------------------------------------------------------------


def save_params(params: Params, path: Path) -> None:
    flat = {f"layers.{k}": v for k, v in params["layers"].items()}
    flat.update({k: v for k, v in params.items() if k != "layers"})
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **flat)


def load_params(path: Path) -> Params:
    with np.load(path) as data:
        params: Params = {"layers": {}}
        for name in data.files:
            if name.startswith("layers."):
                params["layers"][name.removeprefix("layers.")] = data[name]
            else:
                params[name] = data[name]
    return params


# Command line -----------------------------------------------------------------------------------------------

SHIPPED_CORPORA = ("smartdata", "mobie", "europeana")


def training_sentences(data: Path, extra: Iterable[str]) -> list[GoldSentence]:
    sentences = list(read_germeval(data / "germeval2014" / "train.tsv"))
    for name in extra:
        sentences.extend(read_corpus(name, data))
    return sentences


def report(tagger: E5Tagger, data: Path) -> dict[str, Any]:
    from textlake.training.evaluate import evaluate_ner

    figures: dict[str, Any] = {}
    for name, path in (
        ("germeval_dev", data / "germeval2014" / "dev.tsv"),
        ("uner_pud", data / "ner" / "uner-de-pud" / "de_pud-ud-test.iob2"),
    ):
        result = evaluate_ner(path, tagger)  # type: ignore[arg-type]
        figures[name] = {
            "f1": round(result.overall.f1, 4),
            "per_label": {label: round(s.f1, 4) for label, s in result.per_label.items()},
            "words_per_second": round(result.words_per_second),
        }
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2].parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=Path("build/teacher"))
    parser.add_argument(
        "--corpora", default="", help=f"more training corpora, comma-separated: {','.join(SHIPPED_CORPORA)}"
    )
    parser.add_argument("--epochs", type=int, default=TrainingSettings.epochs)
    parser.add_argument("--learning-rate", type=float, default=TrainingSettings.learning_rate)
    parser.add_argument("--limit", type=int, default=0, help="train on the first N sentences only (a smoke run)")
    parser.add_argument("--evaluate", action="store_true", help="only report the saved teacher's figures")
    args = parser.parse_args(argv)
    if args.evaluate and not (args.out / "teacher.npz").is_file():
        sys.exit(f"no teacher in {args.out}: train one first (python -m textlake.training.e5_tagger --out {args.out})")
    weights = read_e5_file()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.evaluate:
        figures = report(E5Tagger(load_params(args.out / "teacher.npz"), weights), args.data)
        print(json.dumps(figures, indent=2))
        return
    tokenizer = build_tokenizer(weights.vocabulary)
    tokenizer.no_padding()
    sentences = training_sentences(args.data, [c for c in args.corpora.split(",") if c])
    if args.limit:
        sentences = sentences[: args.limit]
    examples = [to_example(tokenizer, s) for s in sentences]
    print(f"{len(examples)} sentences, {sum(len(e.ids) for e in examples)} tokens", file=sys.stderr)
    settings = TrainingSettings(epochs=args.epochs, learning_rate=args.learning_rate)
    best = {"f1": -1.0}

    def on_epoch(epoch: int, params: Params) -> None:
        figures = report(E5Tagger(params, weights), args.data)
        print(f"epoch {epoch}: {json.dumps(figures)}", flush=True)
        if figures["germeval_dev"]["f1"] > best["f1"]:
            best.update(f1=figures["germeval_dev"]["f1"])
            save_params(params, args.out / "teacher.npz")
            (args.out / "figures.json").write_text(
                json.dumps(
                    {"epoch": epoch, "settings": settings.__dict__, "corpora": args.corpora, **figures}, indent=2
                )
            )

    train(examples, weights, settings, on_epoch, log=lambda line: print(line, file=sys.stderr, flush=True))


if __name__ == "__main__":
    main()
