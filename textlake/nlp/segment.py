"""Sentences: German-aware segmentation into code-point spans that tile the text's non-blank characters.

Rules, in order: a blank line always ends a sentence (a heading such as "Aufrüstung" is a sentence of its
own); inside a paragraph a sentence ends after . ! ? … (with any closing quotes or brackets that follow)
when whitespace and the start of a new sentence follow, unless the full stop belongs to an abbreviation
("St.", "Dr.", "z.B."), an initial ("George W. Bush") or an ordinal ("am 3. Juni", "zum 5. Mal"). A
sentence may end in a number ("im Jahr 2000."). A line break inside a paragraph ends a sentence when the
line before it has no closing punctuation and is short, as headings and list lines are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from textlake.nlp.wordlists import read_words

GERMAN_ABBREVIATIONS = frozenset(read_words("textlake.nlp", "abbreviations"))
SENTENCE_STARTERS = frozenset(read_words("textlake.nlp", "sentence_starters"))


@dataclass(frozen=True)
class SentenceSpan:
    start: int  # code points into the text, inclusive
    end: int  # exclusive
    paragraph: int  # 0-based


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# A candidate end: terminal punctuation, then closing quotes/brackets glued to it, then whitespace.
_CANDIDATE = re.compile(r"[.!?…]+[\"'”“’‘»«)\]]*(?=\s)|[。！？]+[」』”）]*|[؟۔]+(?=\s)|\n")
_FULL_WIDTH_END = frozenset("。！？")
_NEXT_TOKEN = re.compile(r"\s*(\S+)")
_ORDINAL = re.compile(r"\d{1,3}")
_INITIAL = re.compile(r"[A-ZÄÖÜ]")
_DOTTED_ABBREVIATION = re.compile(r"(?:[^\W\d]{1,3}\.)+[^\W\d]{1,3}")
_LIST_MARKER = re.compile(r"[-*•–]\s|\d{1,2}[.)]\s")
# A line at most this long without closing punctuation is a heading or list line when a break follows it.
_MAX_HEADING_CHARS = 80


def segment_sentences(text: str) -> list[SentenceSpan]:
    """Spans of the sentences of `text`, in order, trimmed of surrounding whitespace, never empty."""
    spans: list[SentenceSpan] = []
    paragraph = 0
    position = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        if _append_paragraph(text, position, match.start(), paragraph, spans):
            paragraph += 1
        position = match.end()
    _append_paragraph(text, position, len(text), paragraph, spans)
    return spans


def _append_paragraph(text: str, start: int, end: int, paragraph: int, spans: list[SentenceSpan]) -> bool:
    """Append the sentences of text[start:end]; False when it held only whitespace."""
    added = False
    sentence_start = start
    for match in _CANDIDATE.finditer(text, start, end):
        cut = match.end()
        if _ends_sentence(text, sentence_start, match.start(), cut, end):
            added |= _append_trimmed(text, sentence_start, cut, paragraph, spans)
            sentence_start = cut
    added |= _append_trimmed(text, sentence_start, end, paragraph, spans)
    return added


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without the whitespace at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _append_trimmed(text: str, start: int, end: int, paragraph: int, spans: list[SentenceSpan]) -> bool:
    start, end = trim_span(text, start, end)
    if start == end:
        return False
    spans.append(SentenceSpan(start, end, paragraph))
    return True


def _ends_sentence(text: str, sentence_start: int, punct_start: int, cut: int, paragraph_end: int) -> bool:
    next_match = _NEXT_TOKEN.match(text, cut, paragraph_end)
    if next_match is None and text[punct_start] in _FULL_WIDTH_END:
        return False
    if next_match is None:
        return False  # the paragraph's end closes the sentence anyway
    next_token = next_match.group(1)
    if text[punct_start] == "\n":
        return _line_break_ends_sentence(text, sentence_start, punct_start, next_token)
    if text[punct_start] in _FULL_WIDTH_END or text[punct_start] in "؟۔":
        return True  # Chinese and Japanese (no space follows), Arabic and Urdu
    first = next_token.lstrip("\"'„“‚‘»«([")[:1]
    if first and first.islower():
        return False  # "u. a. in", "… sagte er"; German sentences start with a capital
    if text[cut - 1] != "." and not text[punct_start:cut].startswith("."):
        return True  # ! ? … end a sentence before a capital
    if text[punct_start:cut].startswith("..") or text[punct_start] == "…":
        return True
    word = _word_before(text, sentence_start, punct_start)
    if not word:
        return True
    if word in GERMAN_ABBREVIATIONS or word.lower() in GERMAN_ABBREVIATIONS:
        return False
    if _INITIAL.fullmatch(word):
        return False  # "George W. Bush"
    if _DOTTED_ABBREVIATION.fullmatch(word):
        return False  # "z.B.", "U.S."
    if _ORDINAL.fullmatch(word):
        # "am 3. Juni", "zum 5. Mal": an ordinal is followed by a noun or adjective, a new sentence by
        # an article, pronoun, preposition or conjunction far more often than not.
        return next_token.strip("\"'„“»«(),") in SENTENCE_STARTERS or not first.isalpha()
    return True


def _word_before(text: str, sentence_start: int, punct_start: int) -> str:
    start = punct_start
    while start > sentence_start and not text[start - 1].isspace() and text[start - 1] not in "(\"'„“‚»«[/":
        start -= 1
    return text[start:punct_start]


def _line_break_ends_sentence(text: str, sentence_start: int, newline: int, next_token: str) -> bool:
    line_start = text.rfind("\n", sentence_start, newline) + 1 or sentence_start
    line = text[max(line_start, sentence_start) : newline].rstrip()
    if not line:
        return False
    if _LIST_MARKER.match(next_token + " "):
        return True
    if line[-1] in ",;-–(" or line[-1].islower() and next_token[:1].islower():
        return False  # a hard-wrapped line
    return len(line) <= _MAX_HEADING_CHARS and next_token[:1].isupper()
