"""The quotations of a document: its sentences read in turn by the rules, with what the sentences before gave."""

from __future__ import annotations

from collections.abc import Sequence

from textlake.nlp.quotes.clauses import WordIndex, stripped, word_count
from textlake.nlp.quotes.cues import reportive
from textlake.nlp.quotes.direct import direct_in, direct_spans
from textlake.nlp.quotes.indirect import before_a_semicolon, indirect_in, reported, said_in_sentence_before
from textlake.nlp.quotes.lexicon import FIRST_PERSON, SUBJUNCTIVE, SUBJUNCTIVE_TWO
from textlake.nlp.quotes.quotation import Named, Quotation, Sentence, speaker_of
from textlake.nlp.quotes.speakers import opening_subject, resolved


def find_quotations(text: str, sentences: Sequence[Sentence], entities: Sequence[Named]) -> list[Quotation]:
    """The quotations of one German document, in text order."""
    words = WordIndex.of(text)
    direct = direct_spans(text)
    found: list[Quotation] = []
    previous: Quotation | None = None
    previous_sentence = -10
    for ordinal, sentence in enumerate(sentences):
        in_sentence = words.between(sentence.start, sentence.end)
        said_before = said_in_sentence_before(text, sentences, ordinal, in_sentence, found, entities)
        if said_before is not None:  # "… . Das teilte die Polizei mit."
            found.append(resolved(text, said_before, found, entities))
            previous, previous_sentence = found[-1], ordinal
            continue
        inside = [d for d in direct if d[0] < sentence.end and sentence.start < d[1]]
        unquoted = [w for w in in_sentence if not any(d[0] <= w.start < d[1] for d in inside)]
        before = previous if previous is not None and ordinal - previous_sentence <= 2 else None
        new = direct_in(text, sentences, ordinal, inside, words, direct, found, entities, before)
        within_speech = any(q.kind == "direct" and q.start <= sentence.start < q.end for q in found)
        quoted = sum(min(q.end, sentence.end) - max(q.start, sentence.start) for q in new)
        if not within_speech and 2 * quoted < sentence.end - sentence.start:
            # no direct speech, or a few quoted words inside indirect speech ("Er sagte, es sei „ernst“")
            embedding = indirect_in(text, sentence, ordinal, in_sentence, entities)
            new += [q for q in embedding if not any(q.parts == d.parts for d in new)]
        nearby = next((q for q in reversed(found) if q.speaker is not None and ordinal - q.sentence <= 3), None)
        # a few quoted words inside a sentence in the subjunctive ("Er habe „nicht den Eindruck“.") are
        # speech inside speech: the sentence is a quotation too, as for a cue ("Er sagte, es sei „ernst“")
        only_quoted_words = all(q.kind == "direct" for q in new) and 2 * quoted < sentence.end - sentence.start
        continues_speech = previous_sentence == ordinal - 1 and any(w.text in SUBJUNCTIVE_TWO for w in unquoted)
        first_person = any(w.text in FIRST_PERSON for w in unquoted)
        subjunctive = (any(w.text in SUBJUNCTIVE for w in unquoted) or continues_speech) and not first_person
        if only_quoted_words and not within_speech and subjunctive:
            span = stripped(text, sentence.start, sentence.end)
            last = found[-1] if found else None
            if last is not None and last.kind == "indirect_free_indirect" and last.sentence == previous_sentence:
                if previous_sentence == ordinal - 1 and sentences[last.sentence].paragraph == sentence.paragraph:
                    # one speech continued over several sentences is one quotation, as a reader counts it
                    found[-1] = Quotation(((last.start, span[1]),), last.kind, last.sentence, None, *speaker_of(last))
                    found.extend(resolved(text, q, found, entities) for q in new)
                    previous, previous_sentence = found[-1], ordinal
                    continue
            speaker = speaker_of(nearby)
            if (speaker[0] is None or previous_sentence < ordinal - 1) and ordinal > 0:
                # the subject of the sentence before, when it has one and is not itself a quotation
                before_start, before_end = sentences[ordinal - 1].start, sentences[ordinal - 1].end
                speaker = opening_subject(text, before_start, before_end, entities) or speaker
            before_sentence = sentences[ordinal - 1] if ordinal > 0 else None
            if (
                before_sentence is not None
                and previous_sentence < ordinal - 1
                and before_sentence.paragraph == sentence.paragraph
                and any(w.text in SUBJUNCTIVE_TWO for w in words.between(before_sentence.start, before_sentence.end))
            ):  # the speech began a sentence earlier, in the second subjunctive ("So hätten Rebellen … . Außerdem habe …")
                span = (stripped(text, before_sentence.start, before_sentence.end)[0], span[1])
            new = [*new, Quotation((span,), "indirect_free_indirect", ordinal, None, *speaker)]
        if not new and not within_speech and nearby is not None and reportive(in_sentence):
            span = stripped(text, sentence.start, sentence.end)
            new = [Quotation((span,), "free_indirect", ordinal, None, *speaker_of(nearby))]
        if not new and not within_speech:
            new = reported(text, sentence, ordinal, in_sentence, entities)
        new = [q if q.kind == "direct" else before_a_semicolon(text, q) for q in new]
        new = [q for q in new if q.kind == "direct" or sum(word_count(text, part) for part in q.parts) >= 4]
        if new:
            found.extend(resolved(text, q, found, entities) for q in sorted(new, key=lambda q: q.parts))
            previous, previous_sentence = found[-1], ordinal
    return found
