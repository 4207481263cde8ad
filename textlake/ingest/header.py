"""Header: a leading ` date YYYY-MM` or ` date YYYY-MM-DD` becomes the publication date."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# The header shares its line with the first sentence: " date 2022-06 Russland wird ...".
_HEADER = re.compile(r"^[ \t]*date[ \t]+(?P<year>\d{4})-(?P<month>\d{2})(?:-(?P<day>\d{2}))?(?:[ \t]+|\n|$)")
# What a person may have meant as a header but got wrong: kept as text, noted in the run summary.
_HEADER_LIKE = re.compile(r"^[ \t]*date\b[ \t:]*[\d-]+")


@dataclass(frozen=True)
class Header:
    published: dt.date | None
    precision: str | None  # 'month' or 'day'
    body: str  # the text with the header removed
    note: str | None = None  # why a header-like first line was kept as text


def parse_header(text: str) -> Header:
    """Split the date header off a normalised text. Never raises: a malformed header stays in the text."""
    match = _HEADER.match(text)
    if match is None:
        looks_like = _HEADER_LIKE.match(text)
        note = (
            f"first line starts like a date header but is not ' date YYYY-MM': {looks_like.group(0).strip()!r}"
            if looks_like
            else None
        )
        return Header(None, None, text, note)
    year, month, day = int(match["year"]), int(match["month"]), match["day"]
    try:
        published = dt.date(year, month, int(day) if day else 1)
    except ValueError as error:
        return Header(None, None, text, f"date header {match.group(0).strip()!r} is not a date: {error}")
    return Header(published, "day" if day else "month", text[match.end() :].lstrip(" \t\n"))
