"""Direct speech: the spans between quotation marks, which of them are speech, and who says them."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence

from textlake.nlp import direct_speech
from textlake.nlp.canonical import is_role
from textlake.nlp.quotes.clauses import WORD, WordIndex, start_of_clause, stripped
from textlake.nlp.quotes.cues import first_cue, is_cue
from textlake.nlp.quotes.found import any_starting_at
from textlake.nlp.quotes.lexicon import (
    ATTRIBUTING,
    IMPERSONAL,
    IMPERSONAL_CUE_SUBJECTS,
    MEDIUM_NAME_ENDS,
    MEDIUM_PREPOSITIONS,
    PASSIVE,
    PERSON_NAME_ENDS,
    PRONOUNS,
    QUOTING_VERBS,
    SLOGAN,
    SOURCE_MARKERS,
    SUBJUNCTIVE,
    TITLE_GLUE,
)
from textlake.nlp.quotes.positions import ByPosition, overlapping, starting_in
from textlake.nlp.quotes.quotation import (
    Named,
    Quotation,
    Sentence,
    Span,
    Speaker,
    Word,
    Words,
    new_quotation,
    speaker_of,
)
from textlake.nlp.quotes.speakers import mention_in, person_entity_at, speaker_near, verb_subject
from textlake.nlp.segment import SentenceSpan

# Opening mark → the marks that close it; „ is closed by “ and, in careless text, by ” or ".
_QUOTE_PAIRS = {"„": '“”"', "“": "”", "»": "«", "«": "»", '"': '"', "‚": "‘"}
_QUOTE_MARK = re.compile(r"[„“»«\"]")


def direct_in(
    text: str,
    sentences: Sequence[Sentence],
    ordinal: int,
    inside: Sequence[Span],
    indexed: WordIndex,
    direct: Sequence[Span],
    found: Sequence[Quotation],
    entities: Sequence[Named],
    before: Quotation | None,
) -> list[Quotation]:
    """The direct quotations that start in a sentence: quoted text that reads as speech. A quotation of
    several sentences is read with the words before it and those after it up to the end of the sentence
    where it closes ("„… Das lag hier nicht vor“, sagte Magath.")."""
    sentence = sentences[ordinal]
    new: list[Quotation] = []
    for span in inside:
        if span[0] < sentence.start or any_starting_at(found, span[0]):
            continue  # starts in an earlier sentence: already taken there
        around, quoted, unquoted = _surroundings(text, sentences, ordinal, span, indexed, direct)
        cue = first_cue(unquoted)
        seen = _quoted_text(text, span, around, quoted, unquoted, cue, indexed, entities)
        if not direct_speech.is_speech(seen) and not _a_slogan(text, around, span):
            continue  # a title, a name or a term in quotation marks, not speech
        quoted_by = _quoted_by(text, around, span, unquoted, entities)
        if quoted_by is not None:  # the person's words, and the medium's quoting of them: two quotations
            verb, person, medium = quoted_by
            new.append(new_quotation((span,), "direct", ordinal, verb, person))
            new.append(new_quotation((span,), "direct", ordinal, verb, medium))
            continue
        speaker = speaker_near(text, around, span, unquoted, cue, entities, speaker_of(before))
        if speaker is not None and speaker[0] is not None and span[0] <= speaker[0][0] < span[1]:
            speaker = None  # a name inside the quoted words is what is said, not who says it
        new.append(new_quotation((span,), "direct", ordinal, cue, speaker))
    return new


def _a_slogan(text: str, sentence: Sentence, span: Span) -> bool:
    """Quoted words right after a word for a slogan ("Parolen wie zum Beispiel „…“")."""
    return SLOGAN.search(text, max(sentence.start, span[0] - 60), span[0]) is not None


def _quoted_by(
    text: str, sentence: Sentence, quoted: Span, outside: Words, entities: Sequence[Named]
) -> tuple[Span, Speaker, Speaker] | None:
    """(the verb, the person quoted, the medium quoting) of direct speech a named medium quotes: "„…“,
    zitiert die „Computerwoche“ Lynch", "Der Spiegel zitiert den Prediger mit den Worten „…“", "X wird von
    der „Netzeitung“ mit den Worten zitiert". The gold counts the medium's quoting as a quotation of its
    own, nested in the person's (in train, 10 of 15 direct quotations framed by "zitieren"; the other five
    name no medium: "wird Panetta zitiert", "zitierte man"). None when no medium is named."""
    found = _quoting_side(outside, quoted)
    if found is None:
        return None
    side, verb_at = found
    if any(w.text in PASSIVE for w in side):
        parts = _quoted_in_the_passive(text, sentence, quoted, side, verb_at)
    elif verb_at == 0:
        parts = _medium_then_person(text, side, entities)
    else:
        parts = _medium_before_the_verb(text, sentence, side, verb_at)
    if parts is None:
        return None
    medium_span, rest = parts
    if medium_span[1] - medium_span[0] < 2 or not rest:
        return None
    medium = mention_in(text, *medium_span, entities) or (medium_span, None)
    person = _person_quoted(text, rest, entities)
    if person is None or person[0] is None or medium[0] is None:
        return None
    return (side[verb_at].start, side[verb_at].end), person, medium


def _quoting_side(outside: Words, quoted: Span) -> tuple[list[Word], int] | None:
    """The words on the side of the quotation where the verb of quoting stands, and the verb's index among
    them; None without such a verb, or when its subject is "man" ("zitierte man")."""
    verb_at = next((i for i, w in enumerate(outside) if w.text.startswith(QUOTING_VERBS)), None)
    if verb_at is None:
        return None
    side = [w for w in outside if (w.start >= quoted[1]) == (outside[verb_at].start >= quoted[1])]
    verb_at = side.index(outside[verb_at])
    if any(w.text in IMPERSONAL for w in side[max(0, verb_at - 1) : verb_at + 2]):
        return None
    return side, verb_at


def _quoted_in_the_passive(
    text: str, sentence: Sentence, quoted: Span, side: list[Word], verb_at: int
) -> tuple[Span, list[Word]] | None:
    """ "X wird von der „Netzeitung“ mit den Worten zitiert": the medium after its preposition, up to a word
    that ends it, the verb or a comma; the person in the words left."""
    preposition = next((i for i, w in enumerate(side) if w.text in MEDIUM_PREPOSITIONS), None)
    if preposition is None:
        return None
    end = next(
        (j for j in range(preposition + 1, len(side))
         if side[j].text in MEDIUM_NAME_ENDS or j == verb_at or "," in text[side[j - 1].end : side[j].start]),
        len(side),
    )  # fmt: skip
    side_end = sentence.end if side[-1].start >= quoted[1] else quoted[0]
    medium_span = stripped(text, side[preposition].start, side[end].start if end < len(side) else side_end)
    rest = [w for i, w in enumerate(side) if not preposition <= i < end and w.text not in PASSIVE and i != verb_at]
    return medium_span, rest


def _medium_then_person(text: str, side: list[Word], entities: Sequence[Named]) -> tuple[Span, list[Word]] | None:
    """ "„…“, zitiert die „Computerwoche“ Lynch": after the verb, the medium up to the first person named
    (with the person's role: "ndr.de Polizeisprecher Ralf Meyer"), then the person."""
    after = side[1:]
    person_at = next((i for i, w in enumerate(after) if person_entity_at(entities, w) is not None), None)
    if person_at is None or person_at == 0:
        return None
    while person_at > 1 and is_role(after[person_at - 1].text):
        person_at -= 1  # "ndr.de Polizeisprecher Ralf Meyer": the role belongs to the person
    return stripped(text, after[0].start, after[person_at].start), after[person_at:]


def _medium_before_the_verb(text: str, sentence: Sentence, side: list[Word], verb_at: int) -> tuple[Span, list[Word]]:
    """ "Der Spiegel zitiert den Prediger mit den Worten „…“": the medium is the clause before the verb, the
    person the words after it up to a word that ends the name, a colon or a comma."""
    verb = side[verb_at]
    medium_span = stripped(text, start_of_clause(text, sentence.start, verb.start), verb.start)
    rest: list[Word] = []
    for w in side[verb_at + 1 :]:
        if w.text in PERSON_NAME_ENDS:
            break
        rest.append(w)
        if text[w.end : w.end + 1] in (":", ","):
            break
    return medium_span, rest


def _person_quoted(text: str, rest: Sequence[Word], entities: Sequence[Named]) -> Speaker | None:
    """The person a medium quotes: the first person named among the words, else their mention."""
    person_entity = next((found for found in (person_entity_at(entities, w) for w in rest) if found is not None), None)
    if person_entity is not None:
        return (entities[person_entity].start, entities[person_entity].end), person_entity
    return mention_in(text, rest[0].start, rest[-1].end, entities)


def _surroundings(
    text: str,
    sentences: Sequence[Sentence],
    ordinal: int,
    span: Span,
    indexed: WordIndex,
    direct: Sequence[Span],
) -> tuple[Sentence, list[Span], list[Word]]:
    """The sentences a quoted span is read with (from the one it opens in to the one it closes in), the
    quoted spans among them and the words outside quotation marks."""
    sentence = sentences[ordinal]
    closing = next((s for s in itertools.islice(sentences, ordinal, None) if s.start < span[1] <= s.end), sentence)
    around = SentenceSpan(sentence.start, max(sentence.end, closing.end), sentence.paragraph)
    quoted = [direct[i] for i in overlapping(direct, around.start, around.end)]
    quoted = [d for d in quoted if d[0] < around.end and around.start < d[1]]
    unquoted = [w for w in indexed.between(around.start, around.end) if not any(d[0] <= w.start < d[1] for d in quoted)]
    return around, quoted, list(unquoted)


def _quoted_text(
    text: str,
    span: Span,
    around: Sentence,
    quoted: Sequence[Span],
    unquoted: Words,
    cue: Span | None,
    indexed: WordIndex,
    entities: Sequence[Named],
) -> direct_speech.QuotedText:
    """What a reader sees of a span between quotation marks and the sentence around it."""
    inner = text[span[0] + 1 : span[1] - 1].strip()
    sentence_words = indexed.between(around.start, around.end)
    before = [w for w in sentence_words if w.end <= span[0]]
    after = [w for w in sentence_words if w.start >= span[1]]
    person_beside = any(
        e.label == "PER" and around.start <= e.start < around.end and not span[0] <= e.start < span[1]
        for e in (entities[i] for i in starting_in(entities, around.start, around.end))
    )
    subjunctive = any(w.text in SUBJUNCTIVE for w in unquoted)
    pronoun = any(w.text in PRONOUNS for w in unquoted)
    words_outside = frozenset(w.text.lower() for w in unquoted)
    inside = sum(min(d[1], around.end) - max(d[0], around.start) for d in quoted)
    return direct_speech.QuotedText(
        inner=inner,
        inner_words=tuple(WORD.findall(inner)),
        framed=_framed_as_speech(text, span, unquoted),
        sounds_like_speech=_sounds_like_speech(text, span),
        mostly_a_name=_mostly_a_name(span, entities),
        cue=cue is not None,
        attributed=bool(words_outside & ATTRIBUTING) or subjunctive or pronoun or person_beside,
        subjunctive=subjunctive,
        person_beside=person_beside,
        pronoun=pronoun,
        word_before=before[-1].text if before else "",
        text_before=text[before[-1].end if before else around.start : span[0]],
        word_after=after[0].text if after else "",
        text_after=text[span[1] : after[0].start if after else around.end],
        words_outside=words_outside,
        quoted_spans=len(quoted),
        quoted_share=inside / max(1, around.end - around.start),
        opens_paragraph=span[0] == 0 or _last_before(text, span[0], " ") == "\n",
    )


def quoted_texts(
    text: str, sentences: Sequence[Sentence], entities: Sequence[Named]
) -> list[tuple[Span, direct_speech.QuotedText]]:
    """Every span between quotation marks that starts in a sentence, with what a reader sees of it: the
    examples the direct-speech classifier learns from and decides."""
    indexed = WordIndex.of(text)
    direct = ByPosition.of_spans(direct_spans(text))
    entities = ByPosition.of_located(entities)
    found: list[tuple[Span, direct_speech.QuotedText]] = []
    for ordinal, sentence in enumerate(sentences):
        starting = (direct[i] for i in direct.starting_in(sentence.start, sentence.end))
        for span in (d for d in starting if sentence.start <= d[0] < sentence.end):
            around, quoted, unquoted = _surroundings(text, sentences, ordinal, span, indexed, direct)
            seen = _quoted_text(text, span, around, quoted, unquoted, first_cue(unquoted), indexed, entities)
            found.append((span, seen))
    return found


def direct_spans(text: str) -> list[Span]:
    """Spans of text between matching quotation marks, the marks included: from an opening mark to the
    first mark that closes it before the paragraph ends (a blank line)."""
    # where each mark and each blank line stands, looked up from every opening mark: searching the text
    # from each would make a long document's marks cost the square of its length
    marks = {mark: _positions(text, re.escape(mark)) for mark in set("".join(_QUOTE_PAIRS.values()))}
    blank_lines = _positions(text, r"(?=\n\n)")
    spans: list[Span] = []
    position = 0
    while True:
        match = _QUOTE_MARK.search(text, position)
        if match is None:
            return spans
        paragraph_end = _first_at_or_after(blank_lines, match.end(), len(text))
        closing = [_first_at_or_after(marks[mark], match.end(), paragraph_end) for mark in _QUOTE_PAIRS[match.group(0)]]
        end = min(closing)
        if end == paragraph_end:  # no closing mark before the paragraph ends
            position = match.end()
            continue
        spans.append((match.start(), end + 1))
        position = end + 1


def _positions(text: str, pattern: str) -> list[int]:
    return [match.start() for match in re.finditer(pattern, text)]


def _first_at_or_after(positions: list[int], start: int, otherwise: int) -> int:
    """The first of the positions at or after `start` and before `otherwise`, else `otherwise`."""
    at = bisect.bisect_left(positions, start)
    return positions[at] if at < len(positions) and positions[at] < otherwise else otherwise


def _sounds_like_speech(text: str, span: Span) -> bool:
    """Quoted words that are speech, not a name or title in quotation marks ("Berliner Zeitung",
    "Shenzhou 6"): a sentence's punctuation, or a word written in lower case that is more than glue."""
    inner = text[span[0] + 1 : span[1] - 1].strip()
    if inner[-1:] in ".!?…" or "," in inner:
        return True
    return any(word[:1].islower() and word not in TITLE_GLUE for word in WORD.findall(inner))


def _framed_as_speech(text: str, span: Span, words: Words) -> bool:
    """Quoted text a cue frames as speech, whatever it reads like: „…“, sagte X / „…“, so X, and
    X sagte: „…“. Titles and names are not written so."""
    after = next((i for i, w in enumerate(words) if w.start >= span[1]), None)
    if after is not None and re.fullmatch(r"\s*,\s*", text[span[1] : words[after].start]):
        if words[after].text in SOURCE_MARKERS or is_cue(words, after):
            return True
    if _last_before(text, span[0]) != ":":
        return False
    return any(is_cue(words, i) for i, w in enumerate(words) if w.end <= span[0])


def _mostly_a_name(span: Span, entities: Sequence[Named]) -> bool:
    """Quoted text the entity recogniser reads as a name for the most part ("Reporter ohne Grenzen")."""
    inner = max(1, span[1] - span[0] - 2)
    beside = (entities[i] for i in overlapping(entities, span[0], span[1]))  # the others cover nothing of it
    covered = sum(max(0, min(e.end, span[1]) - max(e.start, span[0])) for e in beside)
    return covered >= 0.6 * inner


def speech_after_a_colon(
    text: str, sentence: Sentence, ordinal: int, words: Words, entities: Sequence[Named]
) -> Quotation | None:
    """ "Zur Möglichkeit von Containerdörfern meinte der Landeshauptmann: Man muss immer schauen, …": the
    words after a colon, in a sentence with no quotation marks, that follows a verb of saying and its
    subject, are the speaker's own (corpora that drop quotation marks write direct speech so)."""
    colon = text.find(": ", sentence.start, sentence.end)
    if colon == -1 or _QUOTE_MARK.search(text, sentence.start, sentence.end):
        return None
    if text.count("(", sentence.start, colon) > text.count(")", sentence.start, colon):
        return None  # "(übersetzt: Es ist genug!)": a gloss in brackets
    before = [w for w in words if w.end <= colon]
    cue_at = next((i for i in range(len(before) - 1, -1, -1) if is_cue(before, i)), None)
    after = [w for w in words if w.start > colon]
    if cue_at is None or len(after) < 3 or not after[0].text[:1].isupper() or len(before) - cue_at > 5:
        return None
    cue = (before[cue_at].start, before[cue_at].end)
    clause_start = start_of_clause(text, sentence.start, cue[0])
    speaker = verb_subject(text, clause_start, cue, colon, entities, sentence.start)
    if speaker is None and text[clause_start : cue[0]].strip(" ,") == "" and not _impersonal(before[cue_at + 1 :]):
        speaker = _subject_of_the_verb_before(text, sentence, before, cue_at, entities)
    span = stripped(text, colon + 1, sentence.end)
    return new_quotation((span,), "direct", ordinal, cue, speaker)


def _impersonal(words: Words) -> bool:
    """ "heißt es", "sagt man": a verb of saying with a subject that names no one."""
    return any(w.text in IMPERSONAL_CUE_SUBJECTS for w in words)


def _subject_of_the_verb_before(
    text: str, sentence: Sentence, before: Words, cue_at: int, entities: Sequence[Named]
) -> Speaker | None:
    """ "…, meinte Schieder, betonte aber: Das ist …": a verb of saying that opens its clause shares the
    subject of the verb of saying before it in the sentence."""
    earlier = next((i for i in range(cue_at - 1, -1, -1) if is_cue(before, i)), None)
    if earlier is None:
        return None
    cue = (before[earlier].start, before[earlier].end)
    clause_start = start_of_clause(text, sentence.start, cue[0])
    return verb_subject(text, clause_start, cue, before[cue_at].start, entities, sentence.start)


def _last_before(text: str, position: int, skipped: str | None = None) -> str:
    """The last character before `position` that is not in `skipped` (whitespace when None), or "": what
    `text[:position].rstrip(skipped)[-1:]` says, without copying the text before (a long document has
    thousands of quotation marks)."""
    while position > 0 and (text[position - 1].isspace() if skipped is None else text[position - 1] in skipped):
        position -= 1
    return text[position - 1] if position > 0 else ""
