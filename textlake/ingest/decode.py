"""Read & decode: raw bytes → text, or the reason they cannot become text."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


class Undecodable(Exception):
    """Bytes that cannot become a document; `reason` is a `rejects.reason` code."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


# Magic numbers of formats that sometimes arrive named `.txt`.
_BINARY_SIGNATURES: dict[bytes, str] = {
    b"\x89PNG\r\n\x1a\n": "PNG image",
    b"%PDF-": "PDF document",
    b"\x1f\x8b": "gzip archive",
    b"\x7fELF": "ELF executable",
    b"PK\x03\x04": "ZIP archive",
    b"GIF8": "GIF image",
    b"\xff\xd8\xff": "JPEG image",
    b"BZh": "bzip2 archive",
    b"\xfd7zXZ\x00": "xz archive",
    b"7z\xbc\xaf\x27\x1c": "7-Zip archive",
    b"\xd0\xcf\x11\xe0": "MS Office document",
}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Share of control characters (other than \t \n \r \f) above which decoded "text" is really binary.
_MAX_CONTROL_SHARE = 0.01


def decode_bytes(raw: bytes) -> Decoded:
    """Decode `raw`: a BOM decides; then strict UTF-8; UTF-16 without BOM; UTF-8 with a few bad bytes; a detector.

    Raises `Undecodable` with reason `empty`, `binary` or `undecodable`.
    """
    if not raw:
        raise Undecodable("empty", "the file has no bytes")
    for signature, kind in _BINARY_SIGNATURES.items():
        if raw.startswith(signature):
            raise Undecodable("binary", f"starts like a {kind}")
    decoded = (
        _decode_with_bom(raw)
        or _decode_utf8(raw)
        or _decode_utf16_without_bom(raw)
        or _decode_mostly_utf8(raw)
        or _decode_detected(raw)
    )
    if decoded is None:
        raise Undecodable("undecodable", "not UTF-8, UTF-16, nor any encoding the detector recognises")
    controls = len(_BINARY_CONTROL.findall(decoded.text))
    if controls > max(1, len(decoded.text) * _MAX_CONTROL_SHARE):
        raise Undecodable("binary", f"{controls} control characters in {len(decoded.text)} ({decoded.encoding})")
    return decoded


# Control characters other than \t \n \r \f (\x09 \x0a \x0d \x0c), which text files use.
_BINARY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _decode_with_bom(raw: bytes) -> Decoded | None:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return Decoded(raw.decode(encoding), encoding)
            except UnicodeDecodeError as error:
                raise Undecodable(
                    "undecodable", f"has a {encoding} byte-order mark but {error.reason} at byte {error.start}"
                ) from None
    return None


def _decode_utf8(raw: bytes) -> Decoded | None:
    try:
        return Decoded(raw.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return None


def _decode_utf16_without_bom(raw: bytes) -> Decoded | None:
    """UTF-16 text of Latin-script languages has a NUL in every other byte; that gives away its order."""
    if len(raw) < 4 or len(raw) % 2:
        return None
    even_nuls = raw[0::2].count(0) / (len(raw) / 2)
    odd_nuls = raw[1::2].count(0) / (len(raw) / 2)
    for share, other, encoding in ((odd_nuls, even_nuls, "utf-16-le"), (even_nuls, odd_nuls, "utf-16-be")):
        if share > 0.3 and other < 0.05:
            try:
                return Decoded(raw.decode(encoding), encoding)
            except UnicodeDecodeError:
                return None
    return None


# Among candidates the detector rates equally, the encodings German text really comes in win:
# cp1250 and cp1257 decode umlauts alike, but a "naïve" or "€" only survives in cp1252.
_PREFERRED_SINGLE_BYTE = ("cp1252", "iso8859_15", "latin_1")


# Characters beyond ASCII that Western European text in cp1252 is made of. Cyrillic or Greek bytes read as
# cp1252 give letters such as "Ì", "Ò", "ð", "þ" instead, so they fall short of the share below.
_WESTERN = set("äöüÄÖÜßéèêëáàâíìîïóòôúùûçñÉÈÊÀÂÇÑ€„“”‚‘’–—…«»‹›°§µ²³½¼·•×÷£¥©®™¡¿øØåÅæÆœŒ") | {"\u00a0"}
_LATIN_FAMILY = re.compile(r"cp125[02478]|iso8859_(?:[1-4]|9|1[03-6])|latin_1|mac_(?:roman|iceland|latin2)")


def _looks_like_cp1252(raw: bytes) -> str | None:
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return None
    beyond_ascii = [ch for ch in text if ord(ch) > 0x7F]
    if beyond_ascii and sum(ch in _WESTERN for ch in beyond_ascii) >= 0.9 * len(beyond_ascii):
        return text
    return None


def _decode_detected(raw: bytes) -> Decoded | None:
    matches = list(from_bytes(raw))
    if not matches:
        return None
    best = matches[0]
    if _LATIN_FAMILY.fullmatch(best.encoding):  # a Western guess: which variant is a coin toss on short text
        text = _looks_like_cp1252(raw)
        if text is not None:
            return Decoded(text, "cp1252")
    equally_good = [m for m in matches if (m.chaos, -m.coherence) <= (best.chaos, -best.coherence)]
    for encoding in _PREFERRED_SINGLE_BYTE:
        for match in equally_good:
            if encoding in match.could_be_from_charset:
                return Decoded(raw.decode(encoding), encoding)
    return Decoded(str(best), best.encoding)


# A few bad bytes in otherwise valid UTF-8 (a truncated copy, a stray Latin-1 byte) are replaced with
# U+FFFD rather than sending the whole text through the detector, which would garble every umlaut.
_MAX_INVALID_UTF8_SHARE = 0.001


def _decode_mostly_utf8(raw: bytes) -> Decoded | None:
    text = raw.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - raw.count("\ufffd".encode())
    has_multibyte = any(ord(ch) > 0x7F and ch != "\ufffd" for ch in text)
    if has_multibyte and replaced <= max(2, len(raw) * _MAX_INVALID_UTF8_SHARE):
        return Decoded(text, f"utf-8 ({replaced} invalid byte{'s' if replaced != 1 else ''} replaced)")
    return None
