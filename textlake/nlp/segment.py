"""Sentences: German-aware segmentation into code-point spans that tile the text's non-blank characters.

Rules, in order: a blank line always ends a sentence (a heading such as "Aufrüstung" is a sentence of its
own); inside a paragraph a sentence ends after . ! ? … (with any closing quotes or brackets that follow)
when whitespace and the start of a new sentence follow, unless the full stop belongs to an abbreviation
("St.", "Dr.", "z.B."), an initial ("George W. Bush", "v. Chr.") or an ordinal ("am 3. Juni", "zum 5. Mal",
"die XX. Olympischen Spiele"); a number after a noun is no ordinal ("… auf Platz 19. Trainer Meier …"). A
sentence may end in a number ("im Jahr 2000."). A full stop glued to the next sentence ends it too
("… bekommen.Lazio Rom …"), unless it is part of an address ("www.Beispiel.de"). A semicolon ends a
sentence, unless it separates the short items of a list; a colon ends one when a sentence follows it
("Dies war nicht die erste Störung: Bereits 1978 …"), not when it opens speech or a quotation ("Er sagte:
…", "mit den Worten: …", "Er sparte nicht mit Kritik: „…“": the speaker stays in the quotation's sentence),
a list or a title, nor inside quotation marks or brackets ("(Motto: …)"). These follow the German Wikinews
gold, which ends sentences at semicolons and at colons before a sentence. A line break inside a paragraph
ends a sentence when the line before it has no closing punctuation, is short, as headings and list lines
are, and does not end in an article.

Every look back or ahead from a candidate end is bounded (`_LOOK_AROUND` code points), so segmenting stays
linear in the text's length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from textlake.nlp.wordlists import ARTICLES, read_words

GERMAN_ABBREVIATIONS = frozenset(read_words("textlake.nlp", "abbreviations"))
SENTENCE_STARTERS = frozenset(read_words("textlake.nlp", "sentence_starters"))
MONTHS = frozenset(read_words("textlake.nlp", "months"))
COLON_OPENERS = read_words("textlake.nlp", "colon_openers")  # prefixes
# The quotation rules' verbs of saying (prefixes) and the words that start like one but are none, read as
# data: importing textlake.nlp.quotes here would be a cycle (the quotation rules read the sentences).
SAYING = read_words("textlake.nlp", "saying", folder="quotes/words")
NOT_SAYING = frozenset(read_words("textlake.nlp", "not_saying", folder="quotes/words"))
WITH_PARTNER = {
    stem: frozenset(partners)
    for stem, *partners in (
        entry.split() for entry in read_words("textlake.nlp", "with_partner", folder="quotes/words")
    )
}
FIRST_PERSON = frozenset(read_words("textlake.nlp", "first_person", folder="quotes/words"))


@dataclass(frozen=True)
class SentenceSpan:
    start: int  # code points into the text, inclusive
    end: int  # exclusive
    paragraph: int  # 0-based


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# A candidate end: terminal punctuation, then closing quotes/brackets glued to it, then whitespace; or a
# full stop after a word of two letters or more glued to the next sentence's capitalised first word; a
# semicolon before a space, a colon before a space and a capital; full-width and Arabic ends; a line
# break. (One branch for . ! ? …: the scan is as fast as with the first alone.)
_CANDIDATE = re.compile(
    r"[.!?…]+(?:[\"'”“’‘»«)\]]*(?=\s)|(?<=[^\W\d_]{2}\.)[\"”“»)]*(?=[„\"]?[A-ZÄÖÜ][a-zäöüß]))"
    r"|;(?=[ \t])|:(?=[ \t]+[A-ZÄÖÜ])"
    r"|[。！？]+[」』”）]*|[؟۔]+(?=\s)|\n"
)
_FULL_WIDTH_END = frozenset("。！？")
_PUNCTUATION = "\"'„“”‚‘’»«()[]{}.,;:!?…–-/*"
# The next token, its first 64 characters at most: a candidate inside a long run without spaces must not
# read the whole run ("Wort.Wort.Wort…").
_NEXT_TOKEN = re.compile(r"\s*(\S{1,64})")
# "XX." in "die XX. Olympischen Spiele", "IX." in "König Rama IX. (Bhumibol)"; two letters at least ("V." is an
# initial).
_ROMAN_NUMERAL = re.compile(r"(?=[IVXLC]{2})C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_DOTTED_ABBREVIATION = re.compile(r"(?:[^\W\d]{1,3}\.)+[^\W\d]{1,3}")
_LIST_MARKER = re.compile(r"[-*•–]\s|\d{1,2}[.)]\s")
_CLAUSE_END = re.compile(r"[.!?;:](?=\s|$)")
# A line at most this long without closing punctuation is a heading or list line when a break follows it.
_MAX_HEADING_CHARS = 80
# How far the rules look back from a candidate end into its sentence, or ahead past it.
_LOOK_AROUND = 300
# A semicolon with fewer words than this on both sides separates the items of a list.
_MIN_WORDS_BESIDE_SEMICOLON = 6
# What follows a colon is a sentence of its own only with more words than this ("Amylose.", "Le Grand Macabre.").
_MAX_WORDS_NO_SENTENCE = 4
# … and not a list: at least two commas with at most this many words between them on average
# ("Helmut Kohl, Henry Kissinger, Zbignew Brzezinski").
_MAX_WORDS_PER_LIST_ITEM = 3


def _by_first_letters(prefixes: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Prefixes of three letters or more grouped by their first three: a word is looked up, not compared
    with every prefix."""
    grouped: dict[str, tuple[str, ...]] = {}
    for prefix in prefixes:
        grouped[prefix[:3]] = (*grouped.get(prefix[:3], ()), prefix)
    return grouped


_COLON_PREFIXES = _by_first_letters((*SAYING, *COLON_OPENERS))
_ANNOUNCING_STARTS = frozenset({*_COLON_PREFIXES, *(stem[:3] for stem in WITH_PARTNER)})


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
    if next_match is None:
        return False  # the paragraph's end closes the sentence anyway
    next_token = next_match.group(1)
    mark = text[punct_start]
    if mark not in ".!?…":
        if mark == "\n":
            return _line_break_ends_sentence(text, sentence_start, punct_start, next_token)
        if mark == ";":
            return _semicolon_ends_sentence(text, sentence_start, punct_start)
        if mark == ":":
            return _colon_ends_sentence(text, sentence_start, punct_start, next_token)
        return True  # Chinese and Japanese (no space follows), Arabic and Urdu
    if not text[cut].isspace() and not _glued_sentence_end(text, sentence_start, punct_start, next_token):
        return False
    first = next_token.lstrip("\"'„“‚‘»«([")[:1]
    if first and first.islower():
        return False  # "u. a. in", "… sagte er"; German sentences start with a capital
    if text[cut - 1] != "." and not text[punct_start:cut].startswith("."):
        return True  # ! ? … end a sentence before a capital
    if text[punct_start:cut].startswith("..") or mark == "…":
        return True
    word = _word_before(text, sentence_start, punct_start)
    if not word:
        return True
    if word in GERMAN_ABBREVIATIONS or word.lower() in GERMAN_ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isalpha():
        return False  # an initial: "George W. Bush", "1500 v. Chr."
    if "." in word and _DOTTED_ABBREVIATION.fullmatch(word):
        return False  # "z.B.", "U.S."
    if word.isdigit() and len(word) <= 3 or word[0] in "IVXLC" and _ROMAN_NUMERAL.fullmatch(word):
        return _ordinal_ends_sentence(text, sentence_start, punct_start - len(word), word, next_token)
    return True


def _word_before(text: str, sentence_start: int, punct_start: int) -> str:
    """The word the punctuation at `punct_start` closes, without what opens it ("(", "„", "::" in "::R.")."""
    limit = max(sentence_start, punct_start - _LOOK_AROUND)
    word = text[text.rfind(" ", limit, punct_start) + 1 or limit : punct_start]  # the common case, in C
    if not word.isalnum():
        start = punct_start
        while start > limit and not text[start - 1].isspace() and text[start - 1] not in "(\"'„“‚»«[/":
            start -= 1
        word = text[start:punct_start]
    return word if word[:1].isalnum() else word.lstrip(_PUNCTUATION)


def _ordinal_ends_sentence(text: str, sentence_start: int, number_start: int, number: str, next_token: str) -> bool:
    """ "am 3. Juni", "zum 5. Mal": an ordinal is followed by a noun or adjective, a new sentence by an
    article, pronoun, preposition or conjunction far more often than not. A number right after a noun
    counts ("auf Platz 19. Trainer Meier freute sich", "Halle 4. „Vielfalt …“"), unless a month follows
    ("Haltbarkeitsdatum 12. Juni")."""
    word_after = next_token.strip("\"'„“»«(),")
    first = next_token.lstrip("\"'„“‚‘»«([")[:1]
    if word_after in SENTENCE_STARTERS or not first.isalpha():
        return True
    if word_after in MONTHS or not number.isdigit():
        return False  # "am 12. Juni"; "König Rama IX. (Bhumibol)"
    noun_end = number_start
    while noun_end > sentence_start and text[noun_end - 1] == " " and number_start - noun_end < _LOOK_AROUND:
        noun_end -= 1
    noun = _word_before(text, sentence_start, noun_end)
    return noun[:1].isupper() and noun.isalpha() and noun not in SENTENCE_STARTERS


def _glued_sentence_end(text: str, sentence_start: int, punct_start: int, next_token: str) -> bool:
    """ "… abgezogen bekommen.Lazio Rom und …": text extracted from web pages often lost the space after a
    full stop; an address is no sentence end ("www.Beispiel.de", "info@Firma.de")."""
    look_back = max(sentence_start, punct_start - _LOOK_AROUND)
    token_start = max(look_back, text.rfind(" ", look_back, punct_start) + 1)
    if any(mark in text[token_start:punct_start] for mark in "/@") or "@" in next_token:
        return False
    return re.search(r"\.\w", next_token.rstrip('.!?"“”»)')) is None


def _semicolon_ends_sentence(text: str, sentence_start: int, semicolon: int) -> bool:
    """ "Der Rücktritt eines Papstes ist sehr selten; in zwei Jahrtausenden …": a semicolon ends a
    sentence, unless it separates the short items of a list, fewer than `_MIN_WORDS_BESIDE_SEMICOLON` words
    on either side ("Eileen M. Collins, Kommandantin; James M. Kelly, Pilot; …")."""
    look_back = max(sentence_start, semicolon - _LOOK_AROUND)
    clause_start = max(text.rfind(";", look_back, semicolon), text.rfind(":", look_back, semicolon), look_back - 1)
    if len(_words(text, clause_start + 1, semicolon)) >= _MIN_WORDS_BESIDE_SEMICOLON:
        return True
    return len(_words(text, semicolon + 1, _clause_end(text, semicolon + 1))) >= _MIN_WORDS_BESIDE_SEMICOLON


def _words(text: str, start: int, end: int) -> list[str]:
    """The words of text[start:end] without the punctuation around them; numbers are no words."""
    tokens = (token.strip(_PUNCTUATION) for token in text[start:end].split())
    return [token for token in tokens if token[:1].isalpha()]


def _clause_end(text: str, start: int) -> int:
    """Where the clause from `start` ends: at the next . ! ? ; or : before a space, or `_LOOK_AROUND` on."""
    end = _CLAUSE_END.search(text, start, start + _LOOK_AROUND)
    return end.start() if end else min(len(text), start + _LOOK_AROUND)


def _colon_ends_sentence(text: str, sentence_start: int, colon: int, next_token: str) -> bool:
    """ "Dies war nicht die erste Störung: Bereits 1978 …": a colon ends a sentence when a sentence follows
    it, a capitalised word (the candidate's pattern) after a clause of at least three words, one of them in
    lower case (not a speaker's name: "Dr. Robert Kelly: Nordkorea …"). It does not when the clause
    announces speech, a title or a list ("Er sagte: …", "mit den Worten: …": `_announces`), inside
    quotation marks or brackets ("„Jeder sollte wissen: Je …“", "(Motto: …)"), before speech ("Er sparte
    nicht mit Kritik: „…“": no candidate; "… zeigte sich selbstkritisch: Ich habe …": the first person), so
    that a quotation keeps its speaker in its sentence, or when a list or a few words follow ("drei Kinder:
    Caroline, Albert und Stephanie.")."""
    if not next_token[:1].isupper():
        return False
    look_back = max(sentence_start, colon - _LOOK_AROUND)
    if text.count("„", look_back, colon) > text.count("“", look_back, colon):
        return False
    if text.count("(", look_back, colon) > text.count(")", look_back, colon):
        return False
    clause_start = max(text.rfind(";", look_back, colon), text.rfind(":", look_back, colon), look_back - 1) + 1
    clause = text[clause_start:colon]
    words = clause.split()  # with their punctuation: a word's first letter is all most checks need
    if len(words) < 3 or not any(word[0].islower() for word in words):
        return False  # "Die Folge:", a speaker or heading in capitalised words: "Dr. Robert Kelly:"
    if next_token.rstrip(_PUNCTUATION) in FIRST_PERSON:
        return False  # speech without quotation marks: "Djokovic zeigte sich selbstkritisch: Ich habe …"
    return _a_sentence_follows(text, colon + 1) and not _announces(clause.lower().split())


def _announces(lowered: list[str]) -> bool:
    """Whether the words of a clause (in lower case, split at spaces) announce what follows its colon: a
    verb of saying, one that needs a partner word with its partner after it ("stellt aber klar:", "zeigte
    sich zufrieden:"), as the quotation rules read them (textlake/nlp/quotes/cues.py), or a word of
    colon_openers.txt."""
    for at, word in enumerate(lowered):
        if word[:3] not in _ANNOUNCING_STARTS:
            if word[:1].isalpha() or word.lstrip(_PUNCTUATION)[:3] not in _ANNOUNCING_STARTS:
                continue  # most words: one look-up
        word = word.strip(_PUNCTUATION)
        # the verb's forms by their stem and an ending, as cues.py reads them: "schlug", "schlugen"
        stem = word if word in WITH_PARTNER else word[:-1] if word[:-1] in WITH_PARTNER else word[:-2]
        if stem not in WITH_PARTNER:
            if _opens_a_colon(word):
                return True
        elif not WITH_PARTNER[stem] or any(
            w.strip(_PUNCTUATION) in WITH_PARTNER[stem] for w in lowered[at + 1 : at + 8]
        ):
            return True
    return False


def _opens_a_colon(word: str) -> bool:
    """Whether a word (in lower case) makes what follows a colon part of its sentence: a verb of saying
    ("sagte", "erläutert", not "Bericht": not_saying.txt) or a word of colon_openers.txt ("Worten")."""
    prefixes = _COLON_PREFIXES.get(word[:3])
    if prefixes is None or not word.startswith(prefixes):
        return False
    return word.startswith(COLON_OPENERS) or word not in NOT_SAYING


def _a_sentence_follows(text: str, start: int) -> bool:
    """Whether text from `start` to the next sentence end reads as a sentence: more than a few words, not
    a list of short items between commas."""
    stretch = text[start : _clause_end(text, start)]
    words = len(stretch.split())
    items = stretch.count(",") + 1
    if words <= _MAX_WORDS_NO_SENTENCE:
        return False
    return items < 3 or words / items > _MAX_WORDS_PER_LIST_ITEM


def _line_break_ends_sentence(text: str, sentence_start: int, newline: int, next_token: str) -> bool:
    line_start = text.rfind("\n", sentence_start, newline) + 1 or sentence_start
    line = text[max(line_start, sentence_start) : newline].rstrip()
    if not line:
        return False
    if _LIST_MARKER.match(next_token + " "):
        return True
    if line[-1] in ",;-–(" or line[-1].islower() and next_token[:1].islower():
        return False  # a hard-wrapped line
    if line.rsplit(None, 1)[-1] in ARTICLES:
        return False  # "… der Nutzen der⏎Zweckbindung …": no heading ends in an article
    return len(line) <= _MAX_HEADING_CHARS and next_token[:1].isupper()
