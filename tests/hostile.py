"""A generator of hostile inputs (nothing stored in the repo): each file with the outcome textlake owes it."""

from __future__ import annotations

import codecs
import gzip
import os
from dataclasses import dataclass
from pathlib import Path

GERMAN = "Die Bürgermeisterin von München sagte am Montag, die Straßenbahn fahre wieder. Der Verkehr läuft."
QUOTES_EURO = "Er sagte: „Das kostet 5 €.“ – und ging nach Köln."


@dataclass(frozen=True)
class Expected:
    outcome: str  # 'document' or a rejects.reason
    note: str  # what the case is


def write_hostile_inputs(root: Path) -> dict[str, Expected]:
    """Write the cases under `root`; returns file name (relative path as text) → expected outcome."""
    cases: dict[str, Expected] = {}

    def put(name: str | bytes, data: bytes, outcome: str, note: str) -> None:
        path = Path(os.fsdecode(os.path.join(os.fsencode(root), name if isinstance(name, bytes) else name.encode())))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        cases[os.fsencode(path.relative_to(root)).decode("utf-8", "backslashreplace")] = Expected(outcome, note)

    half = len(GERMAN.encode()) // 2
    put(
        "invalid_utf8.txt",
        GERMAN.encode()[:half] + b"\xff\xfe" + GERMAN.encode()[half:],
        "document",
        "invalid UTF-8 bytes mid-text",
    )
    put("utf16le_bom.txt", codecs.BOM_UTF16_LE + GERMAN.encode("utf-16-le"), "document", "UTF-16 LE with BOM")
    put(
        "utf16be_bom.txt",
        codecs.BOM_UTF16_BE + ("Big Endian. " + GERMAN).encode("utf-16-be"),
        "document",
        "UTF-16 BE with BOM",
    )
    put("utf16_no_bom.txt", ("Zweiter Text. " + GERMAN).encode("utf-16-le"), "document", "UTF-16 without BOM")
    put("cp1252.txt", QUOTES_EURO.encode("cp1252"), "document", "cp1252 with typographic quotes and €")
    put(
        "latin1.txt",
        "Grüße aus Köln, schöne Äpfel und Öl für München.".encode("latin-1"),
        "document",
        "Latin-1 umlauts",
    )
    put("utf8_bom.txt", codecs.BOM_UTF8 + b"Dritter Text aus Berlin.", "document", "UTF-8 BOM")
    put("png.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary", "PNG named .txt")
    put("pdf.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "binary", "PDF named .txt")
    put("gzip.txt", gzip.compress(GERMAN.encode()), "binary", "gzip named .txt")
    put("elf.txt", b"\x7fELF\x02\x01\x01\x00" + bytes(200), "binary", "ELF named .txt")
    put("nul_inside.txt", b"Ein Text mit\x00 einem NUL-Byte aus Hamburg.", "document", "NUL byte inside text")
    put("empty.txt", b"", "empty", "empty file")
    put("whitespace.txt", b" \n\t\n  \r\n", "empty", "whitespace only")
    put("header_only.txt", b" date 2022-06\n", "empty", "header only")
    put("bad_month.txt", b" date 2022-13 Ein Text aus Wien.", "document", "malformed header (month 13)")
    put("short_year.txt", b" date 22-06 Ein Text aus Graz.", "document", "malformed header (two-digit year)")
    put("colon.txt", b"date:2022-06 Ein Text aus Linz.", "document", "malformed header (colon)")
    put(
        "huge_single_line.txt",
        b"a" * (17 * 1024 * 1024),
        "too_large",
        "a 17 MB single-line file (over the 16 MiB limit)",
    )
    put("one_char.txt", b"x", "document", "a 1-character file")
    put(
        "/".join(f"d{i}" for i in range(60)) + "/deep.txt",
        b"Tief verschachtelt in Bern.",
        "document",
        "60 folders deep",
    )
    put("name with spaces.txt", "Leerzeichen im Namen, aus Zürich.".encode(), "document", "spaces in the name")
    put(
        "name 'with' \"quotes\".txt",
        "Anführungszeichen im Namen, aus Basel.".encode(),
        "document",
        "quotes in the name",
    )
    put("name\nwith newline.txt", b"Zeilenumbruch im Namen, aus Bonn.", "document", "a newline in the name")
    put(
        b"latin1_\xe4_name.txt",
        "Ein Name mit ungültigem UTF-8, aus Kiel.".encode(),
        "document",
        "non-UTF-8 bytes in the name",
    )
    put("copy_a.txt", "Derselbe Inhalt unter zwei Namen, aus Köln.".encode(), "document", "same content, first name")
    put("copy_b.txt", "Derselbe Inhalt unter zwei Namen, aus Köln.".encode(), "duplicate", "same content, second name")
    put("english.txt", b"The mayor of London said on Monday that the trains run again.", "document", "English")
    put("russian.txt", "Мэр Москвы заявил в понедельник, что метро снова работает.".encode(), "document", "Russian")
    put("arabic.txt", "قال رئيس بلدية القاهرة يوم الاثنين إن المترو يعمل مرة أخرى.".encode(), "document", "Arabic")
    put("chinese.txt", "北京市长周一表示，地铁已恢复运行。乘客很高兴。".encode(), "document", "Chinese")
    put("emoji.txt", "🎉🎉 Party in Berlin! 🥳".encode(), "document", "emoji")
    loop = root / "loop"
    loop.mkdir()
    os.symlink("..", loop / "parent")  # a folder link back up: must not be followed forever
    os.symlink("self_loop.txt", root / "self_loop.txt")  # a file link to itself
    cases["self_loop.txt"] = Expected("unreadable", "a symlink loop")
    return cases
