"""Normalise: one canonical form of a text, so that equal texts hash equal and offsets mean one thing."""

from __future__ import annotations

import re
import unicodedata

_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
# C0/C1 controls except \t and \n, plus zero-width and bidi formatting marks that only hide in text.
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+$", re.MULTILINE)
_EXCESS_BLANK_LINES = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """NFC; CRLF, CR and other line separators → LF; controls and invisible marks removed (\\t and \\n kept);
    trailing spaces trimmed; runs of blank lines folded to one, so paragraphs stay; no leading or
    trailing whitespace. Idempotent: normalise_text(normalise_text(t)) == normalise_text(t)."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _TRAILING_SPACE.sub("", text)
    text = _EXCESS_BLANK_LINES.sub("\n\n", text)
    return text.strip()
