"""A JSON file's records without loading the file: the items of a top-level array one by one, or its one object."""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from textlake.ingest.records.formats import StreamDamaged

_WHITESPACE = re.compile(r"[ \t\n\r]*")
# A decode error this close to the end of what has been read may just be a value cut by the chunk boundary
# ("tr|ue", "12|34"): read more and try again. Farther back, the JSON itself is wrong.
_NEAR_THE_END = 64


@dataclass(frozen=True)
class JsonItem:
    number: int | None  # 1-based position in the array; None for a file that is one object
    value: object
    sha256: str  # of the item's text as in the file, UTF-8


@dataclass(frozen=True)
class JsonProblem:
    number: int | None  # the item at fault (None: the file as a whole)
    reason: str  # malformed, too_large, undecodable
    detail: str


class _Buffer:
    """Decoded text of the chunks read so far, from the position not yet consumed."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = chunks
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")("strict")  # a BOM is dropped
        self.text = ""
        self.pos = 0
        self.at_end = False

    def read_more(self) -> bool:
        """Append the next chunk (dropping what is consumed); False at the end of the file."""
        if self.at_end:
            return False
        chunk = next(self._chunks, None)
        try:
            decoded = self._decoder.decode(chunk or b"", final=chunk is None)
        except UnicodeDecodeError as error:
            raise StreamDamaged("undecodable", f"not UTF-8 ({error.reason})") from None
        self.text = self.text[self.pos :] + decoded
        self.pos = 0
        self.at_end = chunk is None
        return True

    def next_char(self) -> str:
        """The next character that is not whitespace (consumed up to it, not past it); "" at the end."""
        while True:
            self.pos = _WHITESPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.text) or not self.read_more():
                return self.text[self.pos : self.pos + 1]


def json_items(chunks: Iterator[bytes], max_item_bytes: int) -> Iterator[JsonItem | JsonProblem]:
    """The items of a JSON array (numbered from 1) as they are read, or the one value of a file that is one
    object. An item that cannot be parsed ends the file: where the next item starts is unknown after it."""
    buffer = _Buffer(chunks)
    first = buffer.next_char()
    if first == "{":
        yield from _one_value(buffer, max_item_bytes)
    elif first == "[":
        buffer.pos += 1
        yield from _array_items(buffer, max_item_bytes)
    elif first == "":
        yield JsonProblem(None, "empty", "the file has no JSON")
    else:
        yield JsonProblem(None, "malformed", f"starts with {first!r}: not a JSON array or object")


def _one_value(buffer: _Buffer, max_item_bytes: int) -> Iterator[JsonItem | JsonProblem]:
    while not buffer.at_end:
        if len(buffer.text) - buffer.pos > max_item_bytes:
            yield JsonProblem(None, "too_large", f"an object of more than the limit of {max_item_bytes:,} bytes")
            return
        buffer.read_more()
    parsed = _decode(buffer, None)
    if isinstance(parsed, JsonItem) and buffer.next_char():
        yield JsonProblem(None, "malformed", "more JSON after the object: a JSON Lines file? read it as format jsonl")
    elif parsed is not None:
        yield parsed


def _array_items(buffer: _Buffer, max_item_bytes: int) -> Iterator[JsonItem | JsonProblem]:
    number = 0
    while True:
        char = buffer.next_char()
        if char == "]":
            buffer.pos += 1
            if buffer.next_char():
                yield JsonProblem(None, "malformed", f"more after the array's end (after record {number})")
            return
        if number:
            if char != ",":
                detail = (
                    f"expected ',' or ']' after record {number}, found {char!r}" if char else "the array never ends"
                )
                yield JsonProblem(number + 1, "malformed", detail)
                return
            buffer.pos += 1
            char = buffer.next_char()
        if not char:
            yield JsonProblem(number + 1, "malformed", "the array never ends")
            return
        number += 1
        item = _decode(buffer, number)
        while item is None:  # the item goes on in the next chunk
            if len(buffer.text) - buffer.pos > max_item_bytes:
                yield JsonProblem(number, "too_large", f"larger than the limit of {max_item_bytes:,} bytes")
                return
            buffer.read_more()
            item = _decode(buffer, number)
        yield item
        if isinstance(item, JsonProblem):
            return


def _decode(buffer: _Buffer, number: int | None) -> JsonItem | JsonProblem | None:
    """The value at the buffer's position; None when the text read so far may end inside it."""
    try:
        value, end = _DECODER.raw_decode(buffer.text, buffer.pos)
    except json.JSONDecodeError as error:
        more_may_help = error.pos >= len(buffer.text) - _NEAR_THE_END or error.msg.startswith("Unterminated string")
        if more_may_help and not buffer.at_end:
            return None
        # the buffer's line numbers are the file's only for a file that is one object
        where = f" at line {error.lineno} column {error.colno}" if number is None else ""
        return JsonProblem(number, "malformed", f"{error.msg}{where}")
    if end == len(buffer.text) and not buffer.at_end:
        return None  # a number or literal may go on in the next chunk
    text = buffer.text[buffer.pos : end]
    buffer.pos = end
    return JsonItem(number, value, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())


_DECODER = json.JSONDecoder()
