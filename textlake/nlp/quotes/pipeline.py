"""The quotations of a document: its sentences read in turn by a pipeline of rules, each sentence given
what the sentences before it found."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from textlake.nlp.quotes.clauses import WORD, WordIndex, stripped, word_count
from textlake.nlp.quotes.continuing import may_name_a_speaker, organisation_sie_stands_for, sentence_subject
from textlake.nlp.quotes.cues import first_cue, reportive
from textlake.nlp.quotes.direct import direct_in, direct_spans, speech_after_a_colon
from textlake.nlp.quotes.found import Found
from textlake.nlp.quotes.genders import person_genders
from textlake.nlp.quotes.indirect import before_a_semicolon, indirect_in, reported, said_in_sentence_before
from textlake.nlp.quotes.interview import interview_turns
from textlake.nlp.quotes.lexicon import (
    FIRST_PERSON,
    NOT_A_SPEAKER,
    PASSIVE_AGENTS,
    PREPOSITIONS,
    REPRESENTATIVE_ROLES,
    SUBJUNCTIVE,
    SUBJUNCTIVE_TWO,
)
from textlake.nlp.quotes.naming import in_a_prepositional_phrase, name_speakers
from textlake.nlp.quotes.positions import ByPosition, overlapping
from textlake.nlp.quotes.quotation import Canonical, Named, Quotation, Sentence, Span, Speaker, Words, speaker_of
from textlake.nlp.quotes.referents import pronoun_standing_for, resolved
from textlake.nlp.quotes.speakers import verb_subject
from textlake.nlp.wordlists import ARTICLES


@dataclass(frozen=True)
class Document:
    """One document as the rules read it."""

    text: str
    sentences: Sequence[Sentence]
    entities: Sequence[Named]
    words: WordIndex
    direct: Sequence[Span]  # the spans between quotation marks
    genders: Mapping[str, str]  # the gender the document writes each person with (`person_genders`)
    paragraph_starts: Sequence[int]  # where the paragraph of each sentence starts (`_paragraph_starts`)


@dataclass(frozen=True)
class Progress:
    """What the sentences read so far found: their quotations in order, and the ordinal of the sentence
    that added or extended the last of them (-10 before any: far from every sentence)."""

    found: Found = field(default_factory=Found)
    last_sentence: int = -10

    def adding(self, document: Document, quotations: Iterable[Quotation], ordinal: int) -> Progress:
        """With the quotations of sentence `ordinal` appended, each resolved against those before it (the
        sentence's earlier ones included)."""
        found = self.found
        for quotation in quotations:
            quotation = _the_spokesperson_before(document, _the_organisation_sie_stands_for(document, quotation))
            # resolving looks back three sentences at most: the quotations before are not all looked through
            earlier = found.since(quotation.sentence - _RESOLVED_WITHIN)
            subject = _subject_of_the_sentence_before(document, quotation)
            found = found.appending(
                resolved(
                    document.text,
                    quotation,
                    earlier,
                    document.entities,
                    document.genders,
                    subject,
                    document.paragraph_starts[quotation.sentence],
                )  # fmt: skip
            )
        return Progress(found, ordinal)


def _paragraph_starts(sentences: Sequence[Sentence]) -> list[int]:
    """Where the paragraph of each sentence starts, in one pass (a long document is one paragraph of
    thousands of sentences: walking back from each quotation would cost its square)."""
    starts: list[int] = []
    for ordinal, sentence in enumerate(sentences):
        same = ordinal > 0 and sentences[ordinal - 1].paragraph == sentence.paragraph
        starts.append(starts[-1] if same else sentence.start)
    return starts


def _the_organisation_sie_stands_for(document: Document, quotation: Quotation) -> Quotation:
    """ "Die Polizei stoppte X …, wie sie am Montag berichtete": the organisation its sentence opens with, not
    the person named between."""
    if quotation.speaker is None:
        return quotation
    sentence = document.sentences[quotation.sentence]
    if not sentence.start <= quotation.speaker[0] < sentence.end:
        return quotation
    phrase = organisation_sie_stands_for(document.text, sentence.start, quotation.speaker, document.entities)
    return quotation if phrase is None else replace(quotation, speaker=phrase, speaker_entity=None)


def _the_spokesperson_before(document: Document, quotation: Quotation) -> Quotation:
    """ "Die Bodenoffensive wurde von einer Armeesprecherin bestätigt. Sie sagte, …": "Sie" or "Er" opening
    its sentence after one that names an unnamed spokesperson of that gender ("ein", "einer" before the role)
    and no person is that spokesperson (the phrase, named as the organisation it speaks for)."""
    text, span = document.text, quotation.speaker
    if span is None or quotation.sentence == 0 or text[span[0] : span[1]] not in ("Sie", "Er"):
        return quotation
    sentence, before = document.sentences[quotation.sentence], document.sentences[quotation.sentence - 1]
    if span[0] != stripped(text, sentence.start, sentence.end)[0]:
        return quotation
    entities = document.entities
    if any(
        entities[i].label == "PER" and entities[i].start < before.end and entities[i].end > before.start
        for i in overlapping(entities, before.start, before.end)
    ):
        return quotation
    words = document.words.between(before.start, before.end)
    for at, word in enumerate(words[1:], 1):
        lower = word.text.lower()
        if (
            word.text[:1].isupper()
            and lower.endswith(REPRESENTATIVE_ROLES)
            and lower.endswith("in") == (text[span[0]] == "S")
        ):
            article = words[at - 1]  # "ein Sprecher", "von einer Armeesprecherin": unnamed, not "Sprecherin der …"
            if article.text.lower() in ARTICLES and article.text.lower().startswith("ein"):
                return replace(quotation, speaker=(article.start, word.end), speaker_entity=None)
    return quotation


def _subject_of_the_sentence_before(document: Document, quotation: Quotation) -> int | None:
    """The person the sentence before the quotation's has as its subject, at its opening ("Ziemendorff ist
    …") or right after its verb ("Unterdessen verteidigte Sebastian Edathy …"), read only for a pronoun that
    `resolved` may give it to."""
    speaker = quotation.speaker
    if quotation.sentence == 0 or speaker is None or quotation.speaker_entity is not None:
        return None
    if pronoun_standing_for(document.text[speaker[0] : speaker[1]]) is None:
        return None
    before = document.sentences[quotation.sentence - 1]
    opening = sentence_subject(document.text, before.start, before.end, document.entities)
    entity = opening[1] if opening is not None else None
    if entity is None or document.entities[entity].label != "PER":
        return None
    # "Ein anderer Vertrauter von Scaduto weigerte sich": the subject is the confidant, not Scaduto
    return None if in_a_prepositional_phrase(document.text, document.entities[entity].start) else entity


# How many sentences back `resolved` looks for the quotation a pronoun or a role refers to.
_RESOLVED_WITHIN = 3


@dataclass(frozen=True)
class Reading:
    """One sentence as the rules read it, with what the sentences before it found."""

    ordinal: int
    sentence: Sentence
    words: Words
    quoted: list[Span]  # the spans between quotation marks that overlap the sentence
    unquoted: Words  # its words outside them
    within_speech: bool  # inside direct speech found already ("„… . Das sei …“")
    before: Quotation | None  # the last quotation, when found in the two sentences before
    nearby: Quotation | None  # the last quotation with a speaker that starts at most three sentences before


def find_quotations(text: str, sentences: Sequence[Sentence], entities: Sequence[Canonical]) -> list[Quotation]:
    """The quotations of one German document, in text order, each with whom its speaker names."""
    document = Document(
        text,
        sentences,
        ByPosition.of_located(entities),
        WordIndex.of(text),
        ByPosition.of_spans(direct_spans(text)),
        person_genders(text, entities),
        _paragraph_starts(sentences),
    )
    turns = interview_turns(text, sentences, entities)
    in_turns = {ordinal for turn in turns for ordinal in _sentences_of(turn, sentences)}
    progress = Progress()
    for ordinal in range(len(sentences)):
        if ordinal not in in_turns:  # an interview's turns are its quotations
            progress = _read_sentence(document, _reading(document, ordinal, progress), progress)
    found = sorted([*progress.found, *turns], key=lambda q: q.parts)
    spans = [(s.start, s.end) for s in sentences]
    named = name_speakers(text, [_without_a_fragment_for_speaker(text, q) for q in found], entities, spans)
    return [_without_a_phrase_for_speaker(text, q) for q in named]


def _without_a_fragment_for_speaker(text: str, quotation: Quotation) -> Quotation:
    """No speaker where the mention is one auxiliary or conjunction ("hatte", "wurde", "ob"): a fragment
    names no one, and an analyst reads the mention beside the name."""
    if quotation.speaker is None or quotation.speaker_entity is not None:
        return quotation
    mention = text[quotation.speaker[0] : quotation.speaker[1]]
    if mention in NOT_A_SPEAKER:
        return replace(quotation, speaker=None)
    return quotation


def _without_a_phrase_for_speaker(text: str, quotation: Quotation) -> Quotation:
    """No speaker mention where it opens with a preposition and names no one ("in Reaktion", "Bei etwa drei
    Viertel der 121 angezeigten Taten hätten die Opfer", "am Montag"): a phrase of the sentence, not who spoke.
    A source phrase that names someone stays ("in einer Presseerklärung der Gewerkschaft"), and so does the
    agent of the passive ("wird von der „Netzeitung“ zitiert")."""
    if quotation.speaker is None or quotation.speaker_name is not None:
        return quotation
    first = WORD.match(text, quotation.speaker[0])
    if first is None or first.group(0).lower() not in PREPOSITIONS or first.group(0).lower() in PASSIVE_AGENTS:
        return quotation
    return replace(quotation, speaker=None, speaker_entity=None)


def _sentences_of(quotation: Quotation, sentences: Sequence[Sentence]) -> Iterable[int]:
    """The ordinals of the sentences a quotation runs over, from its first one."""
    return itertools.takewhile(lambda o: sentences[o].start < quotation.end, range(quotation.sentence, len(sentences)))


def _read_sentence(document: Document, reading: Reading, progress: Progress) -> Progress:
    """The rules on one sentence, in order: a sentence that reports the one before; direct speech; indirect
    speech beside it; speech continued in the subjunctive; the reportive "soll"; a verb of saying alone."""
    ordinal = reading.ordinal
    said = said_in_sentence_before(
        document.text, document.sentences, ordinal, reading.words, progress.found, document.entities
    )
    if said is not None:
        return progress.adding(document, [said], ordinal)
    after_a_colon = None if reading.within_speech else _speech_after_a_colon(document, reading)
    if after_a_colon is not None:
        return progress.adding(document, [after_a_colon], ordinal)
    new = _direct_speech(document, reading, progress)
    few_quoted = 2 * _quoted_length(reading.sentence, new) < reading.sentence.end - reading.sentence.start
    new += _indirect_beside(document, reading, new, few_quoted)
    if few_quoted and _speech_goes_on(reading, progress, new):
        continued = _continued_speech(document, reading, progress, new)
        if continued is not None:
            return continued
        speech = _subjunctive_speech(document, reading, progress)
        new = [*(_spoken_by(document, q, speaker_of(speech)) for q in new), speech]
    new = new or _reportive_speech(document, reading) or _reported_speech(document, reading)
    new = _trimmed(document.text, new)
    return progress.adding(document, sorted(new, key=lambda q: q.parts), ordinal) if new else progress


def _reading(document: Document, ordinal: int, progress: Progress) -> Reading:
    """The sentence at `ordinal` as the rules read it, after the sentences before it found `progress`."""
    sentence = document.sentences[ordinal]
    words = document.words.between(sentence.start, sentence.end)
    beside = (document.direct[i] for i in overlapping(document.direct, sentence.start, sentence.end))
    quoted = [d for d in beside if d[0] < sentence.end and sentence.start < d[1]]
    unquoted = [w for w in words if not any(d[0] <= w.start < d[1] for d in quoted)]
    found = progress.found
    within_speech = found.direct_around(sentence.start)
    last = found[-1] if found else None
    before = last if last is not None and ordinal - progress.last_sentence <= 2 else None
    nearby = next(
        (q for q in reversed(found.since(ordinal - 3)) if q.speaker is not None and ordinal - q.sentence <= 3), None
    )
    return Reading(ordinal, sentence, words, quoted, unquoted, within_speech, before, nearby)


def _direct_speech(document: Document, reading: Reading, progress: Progress) -> list[Quotation]:
    """ "„Wir werden die Schulen nicht schließen“, sagte Berg.": the spans between quotation marks that
    start in the sentence and read as speech, with their cue and speaker."""
    return direct_in(
        document.text, document.sentences, reading.ordinal, reading.quoted, document.words, document.direct,
        progress.found, document.entities, reading.before,
    )  # fmt: skip


def _speech_after_a_colon(document: Document, reading: Reading) -> Quotation | None:
    """ "… meinte der Landeshauptmann: Man muss immer schauen, …": speech without quotation marks."""
    return speech_after_a_colon(document.text, reading.sentence, reading.ordinal, reading.words, document.entities)


def _quoted_length(sentence: Sentence, direct: Sequence[Quotation]) -> int:
    """How many of the sentence's code points the direct quotations found in it cover."""
    return sum(min(q.end, sentence.end) - max(q.start, sentence.start) for q in direct)


def _indirect_beside(
    document: Document, reading: Reading, direct: Sequence[Quotation], few_quoted: bool
) -> list[Quotation]:
    """ "Er sagte, es sei „ernst“.": indirect speech in a sentence with no direct speech or a few quoted
    words, unless a direct quotation has the same span."""
    if reading.within_speech or not few_quoted:
        return []
    found = indirect_in(document.text, reading.sentence, reading.ordinal, reading.words, document.entities)
    return [q for q in found if not any(q.parts == d.parts for d in direct)]


def _speech_goes_on(reading: Reading, progress: Progress, new: Sequence[Quotation]) -> bool:
    """ "Er habe „nicht den Eindruck“.": a sentence in the reporting subjunctive, with nothing found in it
    but a few quoted words, continues someone's speech (speech inside speech, as for a cue: "Er sagte, es
    sei „ernst“"). The second subjunctive counts right after a quotation only; the first person never
    ("Ich habe das Gefühl, es sei zu spät")."""
    if reading.within_speech or not all(q.kind == "direct" for q in new):
        return False
    unquoted = [w.text for w in reading.unquoted]
    if any(word in FIRST_PERSON for word in unquoted):
        return False
    right_after = progress.last_sentence == reading.ordinal - 1
    return any(word in SUBJUNCTIVE for word in unquoted) or (
        right_after and any(w in SUBJUNCTIVE_TWO for w in unquoted)
    )


def _continued_speech(
    document: Document, reading: Reading, progress: Progress, new: Sequence[Quotation]
) -> Progress | None:
    """ "Sie sei enttäuscht. Man habe mehr erwartet.": speech in the subjunctive that goes on from the
    sentence right before, in the same paragraph, extends that quotation: one speech over several
    sentences is one quotation, as a reader counts it. None when there is no such quotation to extend."""
    last = progress.found[-1] if progress.found else None
    if last is None or last.kind != "indirect_free_indirect" or last.sentence != progress.last_sentence:
        return None
    if (
        last.sentence != reading.ordinal - 1
        or document.sentences[last.sentence].paragraph != reading.sentence.paragraph
    ):
        return None
    end = stripped(document.text, reading.sentence.start, reading.sentence.end)[1]
    extended = Quotation(((last.start, end),), last.kind, last.sentence, None, *speaker_of(last))
    return Progress(progress.found.replacing_last(extended), progress.last_sentence).adding(
        document, [_spoken_by(document, q, speaker_of(last)) for q in new], reading.ordinal
    )


def _spoken_by(document: Document, quotation: Quotation, speaker: Speaker) -> Quotation:
    """A direct quotation inside speech that goes on, with no speaker of its own or one that cannot speak,
    is that speech's speaker's: "Der BGH widersprach …. „Hier werden zwar …“, allerdings sei …" (the BGH's);
    "Die Geheimklauseln aus dem Dokument seien „alamierend“" (not the clauses')."""
    if quotation.kind != "direct" or speaker[0] is None:
        return quotation
    own = speaker_of(quotation)
    if own[0] is not None and may_name_a_speaker(document.text, own, document.entities):
        return quotation
    return replace(quotation, speaker=speaker[0], speaker_entity=speaker[1])


def _subjunctive_speech(document: Document, reading: Reading, progress: Progress) -> Quotation:
    """ "Merkel kritisierte den Plan. Er sei zu teuer.": a sentence in the subjunctive is the speech of the
    speaker nearby; when no quotation is right before, of the subject of the sentence before; and it
    begins a sentence earlier when that one, in the same paragraph, is in the second subjunctive ("So
    hätten Rebellen … . Außerdem habe …")."""
    text, ordinal, sentence = document.text, reading.ordinal, reading.sentence
    span = stripped(text, sentence.start, sentence.end)
    speaker = speaker_of(reading.nearby)
    if ordinal == 0:
        return Quotation((span,), "indirect_free_indirect", ordinal, None, *speaker)
    before = document.sentences[ordinal - 1]
    apart = progress.last_sentence < ordinal - 1
    if speaker[0] is None or apart:  # the subject of the sentence before, when it has one that may speak
        subject = sentence_subject(text, before.start, before.end, document.entities)
        if subject is not None and may_name_a_speaker(text, subject, document.entities):
            speaker = subject
    words_before = document.words.between(before.start, before.end)
    if speaker[0] is None:
        speaker = _subject_of_a_cue_before(document, before, words_before) or speaker
    if apart and before.paragraph == sentence.paragraph and any(w.text in SUBJUNCTIVE_TWO for w in words_before):
        span = (stripped(text, before.start, before.end)[0], span[1])
    return Quotation((span,), "indirect_free_indirect", ordinal, None, *speaker)


def _subject_of_a_cue_before(document: Document, before: Sentence, words: Words) -> Speaker | None:
    """ "Das könne er nur schwer mittragen, meinte Schieder. Komme nichts heraus, würde er …": the subject of a
    verb of saying in the sentence before, a person, an organisation or a role ("der Minister"), though no
    speech was found there to continue; not a pronoun (resolved from nothing) nor a place."""
    cue = first_cue(words)
    if cue is None:
        return None
    subject = verb_subject(document.text, before.start, cue, before.end, document.entities)
    if subject is None or subject[0] is None:
        return None
    if subject[1] is not None:
        return subject if document.entities[subject[1]].label in ("PER", "ORG") else None
    phrase = document.text[subject[0][0] : subject[0][1]]
    if pronoun_standing_for(phrase) is not None or phrase.split()[0] in NOT_A_SPEAKER:
        return None
    return subject if may_name_a_speaker(document.text, subject, document.entities) else None


def _reportive_speech(document: Document, reading: Reading) -> list[Quotation]:
    """ "Der Täter soll mit einem Auto geflohen sein.": the reportive "soll" continues the speech of the
    speaker nearby."""
    if reading.within_speech or reading.nearby is None or not reportive(reading.words):
        return []
    span = stripped(document.text, reading.sentence.start, reading.sentence.end)
    return [Quotation((span,), "free_indirect", reading.ordinal, None, *speaker_of(reading.nearby))]


def _reported_speech(document: Document, reading: Reading) -> list[Quotation]:
    """ "Die Polizei geht von Suizid aus.": a verb of saying with no clause reports the sentence."""
    if reading.within_speech:
        return []
    return reported(document.text, reading.sentence, reading.ordinal, reading.words, document.entities)


def _trimmed(text: str, new: Sequence[Quotation]) -> list[Quotation]:
    """ "…, sich dort unsicher zu fühlen; vor allem Frauen meiden den Platz": indirect speech ends at a
    semicolon the writer's clause follows, and is dropped when under four words; direct speech stays."""
    cut = [q if q.kind == "direct" else before_a_semicolon(text, q) for q in new]
    return [q for q in cut if q.kind == "direct" or sum(word_count(text, part) for part in q.parts) >= 4]
