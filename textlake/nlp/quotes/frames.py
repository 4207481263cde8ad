"""Frames that name the source of indirect speech without a verb: "Laut X", "X zufolge", "nach Angaben X"."""

from __future__ import annotations

from collections.abc import Sequence

from textlake.nlp.quotes.lexicon import (
    ADJECTIVE_ENDINGS,
    FRAME_NOUN_PREPOSITIONS,
    FRAME_NOUNS,
    FRAME_POSTPOSITIONS,
    FRAME_PREPOSITIONS,
    GENITIVE_OPENERS,
    NOUN_PHRASE_JOINS,
    OWN,
    PREPOSITIONS,
    STANDALONE_FRAMES,
)
from textlake.nlp.quotes.quotation import Word
from textlake.nlp.wordlists import ARTICLES


def find_frame(words: Sequence[Word], lower: Sequence[str]) -> tuple[int, int, int, int] | None:
    """(first word, last word, speaker's first word, speaker's last word) of a frame, or None."""
    for index, word in enumerate(lower):
        if word in FRAME_PREPOSITIONS and index + 1 < len(words):
            end = _noun_phrase_end(words, index + 1)
            return index, end - 1, index + 1, end - 1
        if word in FRAME_NOUN_PREPOSITIONS:
            for offset in (1, 2, 3):
                if index + offset < len(words) and lower[index + offset].endswith(FRAME_NOUNS):
                    if lower[index + 1] in OWN:  # "nach eigenen Angaben": the words the gold marks
                        return index, index + offset, index + 1, index + offset
                    end = (
                        _noun_phrase_end(
                            words, index + offset + 1, adjectives=lower[index + offset + 1] in GENITIVE_OPENERS
                        )
                        if index + offset + 1 < len(words)
                        else index + offset + 1
                    )
                    if end <= index + offset + 1 or lower[index + offset + 1] not in NOUN_PHRASE_JOINS:
                        end = index + offset + 1  # "nach Polizeiangaben", "nach offiziellen Angaben"
                        following = words[end].text if end < len(words) else ""
                        if following[:1].isupper() and following.endswith("s"):
                            end += 1  # "nach Angaben Ibrahims"
                    # the speaker is the frame itself: "Angaben des Innenministeriums", "offiziellen Angaben"
                    return index, end - 1, index + 1, end - 1
        if word in FRAME_POSTPOSITIONS:
            start = index
            while (
                start > 0
                and (words[start - 1].text[:1].isupper() or lower[start - 1] in NOUN_PHRASE_JOINS)
                and start > index - 8
            ):
                start -= 1
            return start, index, start, index - 1
        if word in STANDALONE_FRAMES:  # "Demnach …": the word stands for its source, as a pronoun does
            return index, index, index, index
    return None


def _noun_phrase_end(words: Sequence[Word], start: int, adjectives: bool = True) -> int:
    """Index just past the noun phrase starting at `start`: capitalised words and the little words that
    join them ("der Polizei", "Angaben des Innenministeriums von Bayern"); with `adjectives`, the adjectives
    before its first noun too ("der gleichen Nachrichtenagentur")."""
    index = start
    while index < len(words):
        word = words[index].text
        if word[:1].isupper() or word.lower() in NOUN_PHRASE_JOINS or word[:1].isdigit():
            index += 1
            continue
        if adjectives and _adjective_before_the_first_noun(words, start, index):
            index += 1  # "laut der gleichen Nachrichtenagentur", "Angaben des russischen Ministeriums"
            continue
        break
    while index > start + 1 and words[index - 1].text.lower() in NOUN_PHRASE_JOINS:
        index -= 1  # "laut der Polizei der schwere Schnee": the second "der" opens the quotation's noun
    # The quotation starts with the verb: give it back the last capitalised word when nothing is left.
    return min(index, len(words) - 1) if index > start + 1 else min(start + 1, len(words) - 1)


def _adjective_before_the_first_noun(words: Sequence[Word], start: int, index: int) -> bool:
    """words[index] is an inflected adjective between the phrase's opening (an article or nothing) and its
    first noun, only adjectives between ("der gleichen Nachrichtenagentur", "israelischen Medien"); not one
    after a noun ("laut der Polizei der schwere Schnee": it opens the quotation's own noun phrase) or after
    a second article ("nach seinen Worten eines der ersten Dinge")."""
    if not _adjective(words[index].text if index < len(words) else ""):
        return False
    opening = words[start:index]
    if opening and opening[0].text.lower() in ARTICLES:  # not a preposition: "laut über mögliche Nachfolger"
        opening = _past_a_prepositional_phrase(opening[1:])
    if not all(_adjective(w.text) for w in opening):
        return False
    following = words[index + 1].text if index + 1 < len(words) else ""
    return following[:1].isupper() or _adjective_before_the_first_noun(words, start, index + 1)


def _past_a_prepositional_phrase(words: Sequence[Word]) -> Sequence[Word]:
    """The words after a prepositional phrase that opens them inside a noun phrase, its article and noun
    ("dem für Terrorismus zuständigen Staatsanwalt", "der im Sozialministerium angesiedelten Kommission")."""
    if len(words) >= 2 and words[0].text in PREPOSITIONS:
        noun = 2 if words[1].text.lower() in ARTICLES else 1
        if noun < len(words) and words[noun].text[:1].isupper():
            return words[noun + 1 :]
    return words


def _adjective(word: str) -> bool:
    """Inflected as an adjective is ("gleichen", "russischen"); not a preposition that ends so ("über")."""
    return (
        word.islower()
        and len(word) > 4
        and word.endswith(ADJECTIVE_ENDINGS)
        and word not in NOUN_PHRASE_JOINS
        and word not in PREPOSITIONS
    )
