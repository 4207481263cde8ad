"""Quotations: who said what, found by rules over a German document's sentences and entities.

What counts as a quotation follows the German news quotation attribution data (Petersen-Frey and Biemann,
2024): direct speech between quotation marks; indirect speech after a cue ("Er sagte, dass …", "…, sagte
sie", "Laut der Polizei …", "… zufolge", "Wie X mitteilte, …"); sentences in the reporting subjunctive
that continue someone's speech ("Er sei …", "Man habe …"), and the reportive "soll". The speaker is the
in-text mention the cue attaches to: a name, a pronoun, a noun phrase. `speaker_entity` points at the
document's entity when the mention is one or a pronoun refers to the person named just before; it stays
None otherwise: a speaker is never invented.

The rules and word lists were chosen on the data's train split; the figures on its dev split are in the
README (`textlake eval quotes`).
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from textlake.nlp import direct_speech
from textlake.nlp.canonical import is_role
from textlake.nlp.segment import SentenceSpan

MODEL = "textlake-quotes 0.1 (rules)"
KINDS = ("direct", "indirect", "free_indirect", "indirect_free_indirect", "reported")

Span = tuple[int, int]


class Word(NamedTuple):
    """A word of the document at code points start..end."""

    start: int
    end: int
    text: str


Words = Sequence[Word]


class Located(Protocol):
    """Something at code points start..end of the document."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class Named(Located, Protocol):
    """What the quotation stage needs of an entity: where it is and what it is."""

    @property
    def label(self) -> str: ...


class Sentence(Located, Protocol):
    @property
    def paragraph(self) -> int: ...


@dataclass(frozen=True)
class Quotation:
    parts: tuple[Span, ...]  # code points into the document; more than one when discontinuous
    kind: str
    sentence: int  # ordinal of the sentence where it starts
    cue: Span | None
    speaker: Span | None
    speaker_entity: int | None  # index into the document's entities

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]


# Verbs of saying, in the forms news text uses them (3rd person, past and present, participles). A word
# is a cue when it starts with one of these stems; the list was read off the train split's cues and kept
# where a word is a cue more often than not.
_SAYING = (
    "sagt",
    "sagte",
    "erklärt",
    "betont",
    "teilte",
    "teilt",
    "bericht",
    "meint",
    "schrieb",
    "schreibt",
    "bestätigt",
    "forderte",
    "fordert",
    "kritisiert",
    "warnt",
    "äußert",
    "bezeichne",
    "nannte",
    "nennt",
    "behauptet",
    "versichert",
    "kündigte",
    "kündigt",
    "hieß",
    "heißt",
    "zitiert",
    "begründe",
    "vermute",
    "hofft",
    "glaubt",
    "befürchte",
    "fügte",
    "ergänzt",
    "unterstrich",
    "unterstreicht",
    "mahnt",
    "verlangt",
    "appelliert",
    "bekräftigt",
    "räumte",
    "räumt",
    "gestand",
    "dementiert",
    "bestritt",
    "bestreitet",
    "erläutert",
    "verkündet",
    "meldet",
    "lautet",
    "antwortet",
    "entgegnet",
    "argumentiert",
    "sprach",
    "spricht",
    "wies",
    "verwies",
    "gab",
    "gibt",
    "geht",
    "ging",
    "vermeldet",
    "beklagt",
    "beteuert",
    "versprach",
    "verspricht",
    "drohte",
    "droht",
    "bekannte",
    "erinnerte",
    "stellte",
    "zeigte",
    "kommentiert",
    "resümiert",
    "berichtete",
    "gesagt",
    "erklärte",
    "mitteilte",
    "mitgeteilt",
    "angekündigt",
    "vorgeworfen",
    "wirft",
    "warf",
    "beschuldigt",
    "aufgefordert",
    "angegeben",
    "geäußert",
    "schlug",
    "schlägt",
    "rief",
    "ruft",
    "darleg",
    "dargeleg",
    "führte",
    "führt",
    "empfahl",
    "empfiehlt",
    "empfohlen",
    "beschloss",
    "beschließt",
    "schätzt",
    "schätzte",
    "prognostiz",
    # participles ("Ferner habe die Studie festgestellt, dass …")
    "festgestellt",
    "gefordert",
    "gewarnt",
    "eingeräumt",
    "hingewiesen",
    "bekanntgegeben",
    "vorgeschlagen",
    "geschrieben",
    "gemeldet",
    "zugegeben",
    "unterstrichen",
    "gemeint",
    "erwidert",
    "geantwortet",
    # plural and infinitive forms ("Politische Berater sagen, dass …", "Experten warnen, …")
    "sagen",
    "erklären",
    "betonen",
    "meinen",
    "schreiben",
    "fordern",
    "warnen",
    "behaupten",
    "glauben",
    "vermuten",
    "befürchten",
    "kritisieren",
)
# Words starting like a verb of saying that are not one.
_NOT_SAYING = frozenset(
    {
        "bekannten",  # the adjective "known", not the verb "confessed"
        "bekannter",
        "bekanntes",
        "bekanntem",
        "berichts",
        "bericht",
        "berichte",
        "berichten",
        "gabe",
        "gaben",
        "geht's",
        "stellten",
        "zeigten",
        "gibt's",
        "erklärung",
        "erklärungen",
        "forderung",
        "forderungen",
        "kritik",
        "warnung",
        "äußerung",
        "äußerungen",
        "bestätigung",
        "heißt",
        "gehts",
        "stellt",
        "zeigt",
        "meinung",
        "bezeichnung",
        "begründung",
        "ergänzung",
        "antworten",
        "antwort",
        "geht",
        "ging",
        "gibt",
        "gab",
        "stellte",
        "zeigte",
        "spricht",
        "sprach",
        "wies",
        "verwies",
        "wirft",
        "warf",
        "lautet",
    }
)
# Of those, the ones that need a particle or a partner word to be about speech: "gab an", "teilte mit",
# "wies darauf hin", "stellte fest", "geht davon aus", "sprach von", "zeigte sich", "warf vor".
_WITH_PARTNER = {
    "schlug": ("vor",),
    "schlägt": ("vor",),
    "rief": ("auf", "dazu"),
    "ruft": ("auf", "dazu"),
    "führte": ("aus",),
    "führt": ("aus",),
    "gab": ("an", "bekannt", "zu"),
    "gibt": ("an", "bekannt", "zu"),
    "geht": ("davon",),
    "ging": ("davon",),
    "stellte": ("fest", "klar"),
    "stellt": ("fest", "klar"),
    "zeigte": ("sich",),
    "zeigt": ("sich",),
    "sprach": ("von", "davon", "sich"),
    "spricht": ("von", "davon", "sich"),
    "wies": ("hin", "darauf"),
    "weist": ("hin", "darauf"),
    "verwies": ("darauf", "auf"),
    "wirft": ("vor",),
    "warf": ("vor",),
    "lautet": (),
    "heißt": ("es",),
}
# The reporting subjunctive (Konjunktiv I) and the reportive modal, third person.
_SUBJUNCTIVE = frozenset(
    {
        "sei",
        "seien",
        "habe",
        "werde",
        "könne",
        "müsse",
        "solle",
        "wolle",
        "dürfe",
        "möge",
        "gebe",
        "liege",
        "stehe",
        "komme",
        "gehe",
        "bleibe",
        "wisse",
        "handle",
        "handele",
        "brauche",
        "fehle",
        "gelte",
        "erwarte",
        "plane",
        "sehe",
        "lasse",
        "halte",
        "trage",
        "arbeite",
        "bestehe",
        "beabsichtige",
        "verfüge",
        # third-person forms in -e whose indicative ends in -t ("stecke"/"steckt"), read off 10kGNAD and
        # the Wikinews train split; adjectives of the same shape ("reiche", "sichere") left out
        "glaube",
        "denke",
        "mache",
        "hoffe",
        "stelle",
        "zeige",
        "kenne",
        "sage",
        "verstehe",
        "führe",
        "hänge",
        "setze",
        "funktioniere",
        "gehöre",
        "ausgehe",
        "fühle",
        "unterstütze",
        "lege",
        "wirke",
        "schaffe",
        "spiele",
        "drohe",
        "bringe",
        "lebe",
        "freue",
        "gewinne",
        "verlange",
        "versuche",
        "reagiere",
        "stecke",
        "beschäftige",
        "nutze",
        "existiere",
        "betreibe",
        "entstehe",
        "heiße",
        "erfülle",
        "erfolge",
        "benötige",
        "dauere",
        "höre",
        "äußere",
        "wünsche",
        "stamme",
        "sinke",
        "verstärke",
        "baue",
        "darstelle",
        "warne",
        "verletze",
        "suche",
        "verdächtige",
        "lehne",
        "diene",
        "entschuldige",
        "erkenne",
        "vorliege",
        "rechtfertige",
        "schreibe",
        "beginne",
        "obliege",
        "verliere",
        "fördere",
        "garantiere",
        "steige",
        "treibe",
        "löse",
        "stimme",
        "drücke",
        "erspare",
        "gelinge",
        "beschränke",
        "kritisiere",
        "überzeuge",
        "ziehe",
        "bekomme",
        "erlebe",
        "erwäge",
        "kümmere",
        "erinnere",
        "erhöhe",
        "wähle",
        "erzähle",
        "vermisse",
        "erkläre",
        "beunruhige",
        "besitze",
        "gelange",
        "angehöre",
    }
)
# The second subjunctive: conditional as often as reported ("Das hätte Folgen"), so it continues the speech
# of the sentence right before only.
_SUBJUNCTIVE_TWO = frozenset(
    {"hätte", "hätten", "würde", "würden", "wäre", "wären", "könnte", "könnten", "müsste", "müssten"}
    | {"dürfte", "dürften", "käme", "kämen", "gäbe", "gäben"}
)
# Reported speech is in the third person: "Ich habe das Gefühl, es sei zu spät" is an interviewee or the
# writer speaking (in train, 0 of 20 such subjunctive sentences are gold quotations).
_FIRST_PERSON = frozenset({"ich", "Ich", "wir", "Wir"})
_REPORTIVE = frozenset({"soll", "sollen"})
_PRONOUNS = frozenset({"er", "sie", "Er", "Sie"})
# The same after the verb, inside a clause, where German writes them in lower case ("sagte er").
_PRONOUNS_AFTER_THE_VERB = frozenset(p for p in _PRONOUNS if p.islower())
_WORD = re.compile(r"[^\W\d_][\w-]*|\d[\d.,]*", re.UNICODE)
# Opening mark → the marks that close it; „ is closed by “ and, in careless text, by ” or ".
_QUOTE_PAIRS = {"„": '“”"', "“": "”", "»": "«", "«": "»", '"': '"', "‚": "‘"}
_QUOTE_MARK = re.compile(r"[„“»«\"]")
_ARTICLES = frozenset(
    {
        "ein",
        "eine",
        "einer",
        "eines",
        "einem",
        "einen",
        "das",
        "seine",
        "seines",
        "seiner",
        "ihre",
        "ihres",
        "ihrer",
        "ihren",
        "seinen",
        "dessen",
        "deren",
    }
)
_NP_WORDS = frozenset(
    {
        "der",
        "des",
        "dem",
        "den",
        "die",
        "von",
        "vom",
        "eines",
        "einer",
        "einem",
        "zur",
        "zum",
        "aus",
        "und",
        "sowie",
        "in",
        "im",
        "am",
        "an",
        "bei",
        "beim",
        "für",
        "seines",
        "seiner",
        "ihres",
        "ihrer",
    }
)


# Words that attribute a short quoted phrase to someone without a verb of saying ("nannte es „falsch“",
# "von einem „Wortbruch“ sprechen", "als „drastisch“ bezeichnet").
_ATTRIBUTING = frozenset({"als", "von", "laut", "zufolge", "nach", "so"})
# Little words inside names and titles ("BILD am Sonntag", "Polizei von DeLand", "The Nation").
_TITLE_GLUE = frozenset(
    {
        "am",
        "an",
        "von",
        "vom",
        "der",
        "des",
        "dem",
        "den",
        "die",
        "das",
        "und",
        "im",
        "in",
        "zur",
        "zum",
        "für",
        "of",
        "the",
        "and",
        "de",
        "la",
        "le",
        "e.V",
        "auf",
        "mit",
    }
)


def find_quotations(text: str, sentences: Sequence[Sentence], entities: Sequence[Named]) -> list[Quotation]:
    """The quotations of one German document, in text order."""
    words = [Word(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]
    starts = [w.start for w in words]
    direct = _direct_spans(text)
    found: list[Quotation] = []
    previous: Quotation | None = None
    previous_sentence = -10
    for ordinal, sentence in enumerate(sentences):
        in_sentence = _between(words, starts, sentence.start, sentence.end)
        said_before = _said_before(text, sentences, ordinal, in_sentence, found, entities)
        if said_before is not None:  # "… . Das teilte die Polizei mit."
            found.append(_resolved(text, said_before, found, entities))
            previous, previous_sentence = found[-1], ordinal
            continue
        inside = [d for d in direct if d[0] < sentence.end and sentence.start < d[1]]
        unquoted = [w for w in in_sentence if not any(d[0] <= w.start < d[1] for d in inside)]
        before = previous if previous is not None and ordinal - previous_sentence <= 2 else None
        new = _direct_in(text, sentences, ordinal, inside, (words, starts), direct, found, entities, before)
        within_speech = any(q.kind == "direct" and q.start <= sentence.start < q.end for q in found)
        quoted = sum(min(q.end, sentence.end) - max(q.start, sentence.start) for q in new)
        if not within_speech and 2 * quoted < sentence.end - sentence.start:
            # no direct speech, or a few quoted words inside indirect speech ("Er sagte, es sei „ernst“")
            embedding = _indirect(text, sentence, ordinal, in_sentence, entities)
            new += [q for q in embedding if not any(q.parts == d.parts for d in new)]
        nearby = next((q for q in reversed(found) if q.speaker is not None and ordinal - q.sentence <= 3), None)
        # a few quoted words inside a sentence in the subjunctive ("Er habe „nicht den Eindruck“.") are
        # speech inside speech: the sentence is a quotation too, as for a cue ("Er sagte, es sei „ernst“")
        only_quoted_words = all(q.kind == "direct" for q in new) and 2 * quoted < sentence.end - sentence.start
        continues_speech = previous_sentence == ordinal - 1 and any(w.text in _SUBJUNCTIVE_TWO for w in unquoted)
        first_person = any(w.text in _FIRST_PERSON for w in unquoted)
        subjunctive = (any(w.text in _SUBJUNCTIVE for w in unquoted) or continues_speech) and not first_person
        if only_quoted_words and not within_speech and subjunctive:
            span = _body(text, sentence.start, sentence.end)
            last = found[-1] if found else None
            if last is not None and last.kind == "indirect_free_indirect" and last.sentence == previous_sentence:
                if previous_sentence == ordinal - 1 and sentences[last.sentence].paragraph == sentence.paragraph:
                    # one speech continued over several sentences is one quotation, as a reader counts it
                    found[-1] = Quotation(((last.start, span[1]),), last.kind, last.sentence, None, *_speaker_of(last))
                    found.extend(_resolved(text, q, found, entities) for q in new)
                    previous, previous_sentence = found[-1], ordinal
                    continue
            speaker = _speaker_of(nearby)
            if (speaker[0] is None or previous_sentence < ordinal - 1) and ordinal > 0:
                # the subject of the sentence before, when it has one and is not itself a quotation
                before_start, before_end = sentences[ordinal - 1].start, sentences[ordinal - 1].end
                speaker = _opening_subject(text, before_start, before_end, entities) or speaker
            before_sentence = sentences[ordinal - 1] if ordinal > 0 else None
            if (
                before_sentence is not None
                and previous_sentence < ordinal - 1
                and before_sentence.paragraph == sentence.paragraph
                and any(
                    w.text in _SUBJUNCTIVE_TWO
                    for w in _between(words, starts, before_sentence.start, before_sentence.end)
                )
            ):  # the speech began a sentence earlier, in the second subjunctive ("So hätten Rebellen … . Außerdem habe …")
                span = (_body(text, before_sentence.start, before_sentence.end)[0], span[1])
            new = [*new, Quotation((span,), "indirect_free_indirect", ordinal, None, *speaker)]
        if not new and not within_speech and nearby is not None and _reportive(in_sentence):
            span = _body(text, sentence.start, sentence.end)
            new = [Quotation((span,), "free_indirect", ordinal, None, *_speaker_of(nearby))]
        if not new and not within_speech:
            new = _reported(text, sentence, ordinal, in_sentence, entities)
        new = [q if q.kind == "direct" else _before_a_semicolon(text, q) for q in new]
        new = [q for q in new if q.kind == "direct" or sum(_word_count(text, part) for part in q.parts) >= 4]
        if new:
            found.extend(_resolved(text, q, found, entities) for q in sorted(new, key=lambda q: q.parts))
            previous, previous_sentence = found[-1], ordinal
    return found


def _before_a_semicolon(text: str, quotation: Quotation) -> Quotation:
    """Indirect speech ends at a semicolon when what follows is not in the subjunctive: the writer's next
    clause ("…, sich dort unsicher zu fühlen; vor allem Frauen meiden den Platz")."""
    start, end = quotation.parts[0]
    semicolon = text.find(";", start, end)
    if semicolon == -1 or len(quotation.parts) > 1:
        return quotation
    if any(word in _SUBJUNCTIVE or word in _SUBJUNCTIVE_TWO for word in _WORD.findall(text, semicolon, end)):
        return quotation  # the speech goes on after it: "…, dass Nadal stark war; seine Art habe ihn überrascht"
    return dataclasses.replace(quotation, parts=(_body(text, start, semicolon),))


# A sentence that opens with one of these and a verb of saying reports the sentence before it.
_BACK_REFERENCES = frozenset({"Das", "Dies"})


def _said_before(
    text: str,
    sentences: Sequence[Sentence],
    ordinal: int,
    words: Words,
    found: Sequence[Quotation],
    entities: Sequence[Named],
) -> Quotation | None:
    """ "Die Enten waren mit H5N1 infiziert. Das erklärte ein Sprecher des Ministeriums.": the sentence
    before is indirect speech, its speaker the subject after the verb; unless a quotation has it already."""
    if ordinal == 0 or len(words) < 3 or words[0].text not in _BACK_REFERENCES or not _is_cue(words, 1):
        return None
    before = sentences[ordinal - 1]
    if _word_count(text, (before.start, before.end)) < 4 or any(
        q.start < before.end and before.start < q.end for q in found
    ):
        return None
    cue = (words[1].start, words[1].end)
    end = sentences[ordinal].end
    # the subject follows the verb, past adverbs ("Das erklärte gestern ein Sprecher"): a person or an
    # organisation named there, else the first noun phrase
    named = _entity_in(entities, cue[1], end)
    speaker: tuple[Span | None, int | None] | None = None
    if named is not None and entities[named].label in ("PER", "ORG"):
        speaker = (entities[named].start, entities[named].end), named
    else:
        opener = next((w for w in words[2:] if w.text.lower() in _SUBJECT_OPENERS or w.text[:1].isupper()), None)
        phrase = _first_noun_phrase(text, opener.start, end) if opener is not None else None
        speaker = (phrase, None) if phrase is not None else None
    return _quotation((_body(text, before.start, before.end),), "indirect", ordinal - 1, cue, speaker)


def _between(words: Words, starts: Sequence[int], start: int, end: int) -> Words:
    """The words that start in start..end (`starts`: their start offsets, in order)."""
    return words[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]


def _reportive(words: Words) -> bool:
    """ "soll" with a perfect infinitive reports what others say ("soll … geflohen sein", "soll … gesagt
    haben"); with a plain one it is a plan ("Neuwahlen sollen im November stattfinden")."""
    at = next((i for i, w in enumerate(words) if w.text in _REPORTIVE), None)
    return at is not None and any(w.text in ("haben", "sein") for w in words[at + 1 :])


def _direct_in(
    text: str,
    sentences: Sequence[Sentence],
    ordinal: int,
    inside: Sequence[Span],
    indexed: tuple[Words, Sequence[int]],
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
        if span[0] < sentence.start or any(q.start == span[0] for q in found):
            continue  # starts in an earlier sentence: already taken there
        around, quoted, unquoted = _surroundings(text, sentences, ordinal, span, indexed, direct)
        cue = _first_cue(unquoted)
        seen = _quoted_text(text, span, around, quoted, unquoted, cue, indexed, entities)
        if not _speech_decider()(seen) and not _a_slogan(text, around, span):
            continue  # a title, a name or a term in quotation marks, not speech
        quoted_by = _quoted_by(text, around, span, unquoted, entities)
        if quoted_by is not None:  # the person's words, and the medium's quoting of them: two quotations
            verb, person, medium = quoted_by
            new.append(_quotation((span,), "direct", ordinal, verb, person))
            new.append(_quotation((span,), "direct", ordinal, verb, medium))
            continue
        speaker = _speaker_near(text, around, span, unquoted, cue, entities, _speaker_of(before))
        if speaker is not None and speaker[0] is not None and span[0] <= speaker[0][0] < span[1]:
            speaker = None  # a name inside the quoted words is what is said, not who says it
        new.append(_quotation((span,), "direct", ordinal, cue, speaker))
    return new


# Words that introduce the words of a crowd, a banner or a placard: speech to the gold (7 of 7 quoted
# spans after them in train: "skandierten Parolen wie „Thaksin raus!“", "mit der Aufschrift „…“"), unlike
# a motto (0 of 8: "unter dem Motto „Freiheit statt Angst“").
_SLOGAN = re.compile(r"(?:\b(?:Parolen?|Sprüchen?|Spruch|Aufschrift)|\bskandier\w*)(?:\s+\w+){0,3}\s*:?\s*$")


def _a_slogan(text: str, sentence: Sentence, span: Span) -> bool:
    """Quoted words right after a word for a slogan ("Parolen wie zum Beispiel „…“")."""
    return _SLOGAN.search(text, max(sentence.start, span[0] - 60), span[0]) is not None


_PASSIVE = frozenset({"wird", "wurde", "werden", "wurden"})
_MEDIUM_PREPOSITIONS = frozenset({"von", "vom", "in", "im", "auf", "bei", "beim"})


def _quoted_by(
    text: str, sentence: Sentence, quoted: Span, outside: Words, entities: Sequence[Named]
) -> tuple[Span, tuple[Span | None, int | None], tuple[Span | None, int | None]] | None:
    """(the verb, the person quoted, the medium quoting) of direct speech a named medium quotes: "„…“,
    zitiert die „Computerwoche“ Lynch", "Der Spiegel zitiert den Prediger mit den Worten „…“", "X wird von
    der „Netzeitung“ mit den Worten zitiert". The gold counts the medium's quoting as a quotation of its
    own, nested in the person's (in train, 10 of 15 direct quotations framed by "zitieren"; the other five
    name no medium: "wird Panetta zitiert", "zitierte man"). None when no medium is named."""
    # the words on the verb's side of the quotation
    verb_at = next((i for i, w in enumerate(outside) if w.text.startswith("zitier")), None)
    if verb_at is None:
        return None
    side = [w for w in outside if (w.start >= quoted[1]) == (outside[verb_at].start >= quoted[1])]
    verb_at = side.index(outside[verb_at])
    if any(w.text == "man" for w in side[max(0, verb_at - 1) : verb_at + 2]):
        return None
    verb = (side[verb_at].start, side[verb_at].end)
    side_end = sentence.end if side[-1].start >= quoted[1] else quoted[0]

    def until(index: int) -> int:  # where the word at index starts, or the side's end
        return side[index].start if index < len(side) else side_end

    if any(w.text in _PASSIVE for w in side):  # "X wird von der „Netzeitung“ zitiert"
        preposition = next((i for i, w in enumerate(side) if w.text in _MEDIUM_PREPOSITIONS), None)
        if preposition is None:
            return None
        end = next(
            (j for j in range(preposition + 1, len(side))
             if side[j].text in ("wie", "mit", "wird", "wurde") or j == verb_at or "," in text[side[j - 1].end : side[j].start]),
            len(side),
        )  # fmt: skip
        medium_span = _body(text, side[preposition].start, until(end))
        rest = [w for i, w in enumerate(side) if not preposition <= i < end and w.text not in _PASSIVE and i != verb_at]
    elif verb_at == 0:  # „…“, zitiert die „Computerwoche“ Lynch
        after = side[1:]
        person_at = next((i for i, w in enumerate(after) if _person_at(entities, w) is not None), None)
        if person_at is None or person_at == 0:
            return None
        while person_at > 1 and is_role(after[person_at - 1].text):
            person_at -= 1  # "ndr.de Polizeisprecher Ralf Meyer": the role belongs to the person
        medium_span = _body(text, after[0].start, after[person_at].start)
        rest = after[person_at:]
    else:  # "Der Spiegel zitiert den Prediger mit den Worten"
        medium_span = _body(text, _clause_start(text, sentence.start, side[verb_at].start), side[verb_at].start)
        rest = []
        for w in side[verb_at + 1 :]:
            if w.text in ("mit", "wie", "in", "im", "auf", "aus"):
                break
            rest.append(w)
            if text[w.end : w.end + 1] in (":", ","):
                break
    if medium_span[1] - medium_span[0] < 2 or not rest:
        return None
    medium = _mention(text, *medium_span, entities) or (medium_span, None)
    person_entity = next((found for found in (_person_at(entities, w) for w in rest) if found is not None), None)
    if person_entity is not None:
        person: tuple[Span | None, int | None] | None = (
            (entities[person_entity].start, entities[person_entity].end),
            person_entity,
        )
    else:
        person = _mention(text, rest[0].start, rest[-1].end, entities)
    if person is None or person[0] is None or medium[0] is None:
        return None
    return verb, person, medium


def _person_at(entities: Sequence[Named], word: Word) -> int | None:
    """The person entity the word belongs to."""
    return next((i for i, e in enumerate(entities) if e.start <= word.start < e.end and e.label == "PER"), None)


_speech_decider = functools.cache(direct_speech.speech_decider)


def _surroundings(
    text: str,
    sentences: Sequence[Sentence],
    ordinal: int,
    span: Span,
    indexed: tuple[Words, Sequence[int]],
    direct: Sequence[Span],
) -> tuple[Sentence, list[Span], list[Word]]:
    """The sentences a quoted span is read with (from the one it opens in to the one it closes in), the
    quoted spans among them and the words outside quotation marks."""
    sentence = sentences[ordinal]
    closing = next((s for s in sentences[ordinal:] if s.start < span[1] <= s.end), sentence)
    around = SentenceSpan(sentence.start, max(sentence.end, closing.end), sentence.paragraph)
    quoted = [d for d in direct if d[0] < around.end and around.start < d[1]]
    unquoted = [
        w for w in _between(*indexed, around.start, around.end) if not any(d[0] <= w.start < d[1] for d in quoted)
    ]
    return around, quoted, list(unquoted)


def _quoted_text(
    text: str,
    span: Span,
    around: Sentence,
    quoted: Sequence[Span],
    unquoted: Words,
    cue: Span | None,
    indexed: tuple[Words, Sequence[int]],
    entities: Sequence[Named],
) -> direct_speech.QuotedText:
    """What a reader sees of a span between quotation marks and the sentence around it."""
    inner = text[span[0] + 1 : span[1] - 1].strip()
    sentence_words = _between(*indexed, around.start, around.end)
    before = [w for w in sentence_words if w.end <= span[0]]
    after = [w for w in sentence_words if w.start >= span[1]]
    person_beside = any(
        e.label == "PER" and around.start <= e.start < around.end and not span[0] <= e.start < span[1] for e in entities
    )
    subjunctive = any(w.text in _SUBJUNCTIVE for w in unquoted)
    pronoun = any(w.text in _PRONOUNS for w in unquoted)
    words_outside = frozenset(w.text.lower() for w in unquoted)
    inside = sum(min(d[1], around.end) - max(d[0], around.start) for d in quoted)
    return direct_speech.QuotedText(
        inner=inner,
        inner_words=tuple(_WORD.findall(inner)),
        framed=_framed_as_speech(text, span, unquoted),
        sounds_like_speech=_sounds_like_speech(text, span),
        mostly_a_name=_mostly_a_name(span, entities),
        cue=cue is not None,
        attributed=bool(words_outside & _ATTRIBUTING) or subjunctive or pronoun or person_beside,
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
        opens_paragraph=span[0] == 0 or text[: span[0]].rstrip(" ").endswith("\n"),
    )


def quoted_texts(
    text: str, sentences: Sequence[Sentence], entities: Sequence[Named]
) -> list[tuple[Span, direct_speech.QuotedText]]:
    """Every span between quotation marks that starts in a sentence, with what a reader sees of it: the
    examples the direct-speech classifier learns from and decides."""
    words = [Word(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]
    indexed = (words, [w.start for w in words])
    direct = _direct_spans(text)
    found: list[tuple[Span, direct_speech.QuotedText]] = []
    for ordinal, sentence in enumerate(sentences):
        for span in (d for d in direct if sentence.start <= d[0] < sentence.end):
            around, quoted, unquoted = _surroundings(text, sentences, ordinal, span, indexed, direct)
            seen = _quoted_text(text, span, around, quoted, unquoted, _first_cue(unquoted), indexed, entities)
            found.append((span, seen))
    return found


# Verbs of saying that, without a clause, report no speech the gold counts ("zeigte sich zufrieden",
# "kritisierte den Plan", "bestätigte den Vorfall"): in train, 1 of the 45 such sentences is a gold quotation.
_NOT_REPORTING_ALONE = ("kritisier", "zeig", "äußer", "laut", "bestätig", "mitgeteilt", "meint")


def _reported(text: str, sentence: Sentence, ordinal: int, words: Words, entities: Sequence[Named]) -> list[Quotation]:
    """A verb of saying with no clause ("X kritisierte die Entscheidung."): the sentence, when its subject
    is a name before the verb or a noun phrase the sentence opens with."""
    cue_index = next((i for i in range(len(words)) if _is_cue(words, i)), None) if len(words) >= 5 else None
    if cue_index is None or words[cue_index].text.lower().startswith(_NOT_REPORTING_ALONE):
        return []
    span = _body(text, sentence.start, sentence.end)
    cue = (words[cue_index].start, words[cue_index].end)
    subject = _entity_in(entities, sentence.start, cue[0], last=True)
    if subject is not None and entities[subject].label in ("PER", "ORG"):
        return [
            _quotation((span,), "reported", ordinal, cue, ((entities[subject].start, entities[subject].end), subject))
        ]
    if cue_index and words[0].text in _SENTENCE_SUBJECTS:
        # "Die Polizei geht von Suizid aus.", "Andere Medien berichten von 13 Toten."
        phrase = _first_noun_phrase(text, sentence.start, cue[0])
        if phrase is not None:
            return [_quotation((span,), "reported", ordinal, cue, (phrase, None))]
    return []


def _resolved(text: str, quotation: Quotation, earlier: Sequence[Quotation], entities: Sequence[Named]) -> Quotation:
    """Resolve a pronoun or a role noun phrase as speaker to the person of the quotation before (within
    three sentences), a pronoun else to the person named last before it; anything else stays as found."""
    if quotation.speaker is None or quotation.speaker_entity is not None:
        return quotation
    mention = text[quotation.speaker[0] : quotation.speaker[1]]
    head = mention.rsplit(" ", 1)[-1].lower()
    if mention.lower() in _STANDALONE_FRAMES:  # "Demnach": the source of the quotation just before
        before_any = next((q for q in reversed(earlier) if quotation.sentence - q.sentence <= 1), None)
        entity = before_any.speaker_entity if before_any is not None else None
        return Quotation(quotation.parts, quotation.kind, quotation.sentence, quotation.cue, quotation.speaker, entity)
    is_pronoun = mention in _PRONOUNS
    if not is_pronoun and not is_role(head):
        return quotation
    before = next(
        (
            q
            for q in reversed(earlier)
            if q.speaker_entity is not None
            and entities[q.speaker_entity].label == "PER"
            and quotation.sentence - q.sentence <= 3
        ),
        None,
    )
    entity = before.speaker_entity if before is not None else None
    if entity is None and is_pronoun:
        entity = _pronoun_referent(entities, quotation.speaker[0])
    return Quotation(quotation.parts, quotation.kind, quotation.sentence, quotation.cue, quotation.speaker, entity)


def _speaker_of(quotation: Quotation | None) -> tuple[Span | None, int | None]:
    return (quotation.speaker, quotation.speaker_entity) if quotation is not None else (None, None)


def _quotation(
    parts: tuple[Span, ...], kind: str, ordinal: int, cue: Span | None, speaker: tuple[Span | None, int | None] | None
) -> Quotation:
    mention, entity = speaker if speaker is not None else (None, None)
    return Quotation(parts, kind, ordinal, cue, mention, entity)


def _direct_spans(text: str) -> list[Span]:
    """Spans of text between matching quotation marks, the marks included."""
    spans: list[Span] = []
    position = 0
    while True:
        match = _QUOTE_MARK.search(text, position)
        if match is None:
            return spans
        closing = [text.find(mark, match.end()) for mark in _QUOTE_PAIRS[match.group(0)]]
        end = min((at for at in closing if at != -1), default=-1)
        limit = text.find("\n\n", match.end())
        if end == -1 or (limit != -1 and limit < end):
            position = match.end()
            continue
        spans.append((match.start(), end + 1))
        position = end + 1


def _sounds_like_speech(text: str, span: Span) -> bool:
    """Quoted words that are speech, not a name or title in quotation marks ("Berliner Zeitung",
    "Shenzhou 6"): a sentence's punctuation, or a word written in lower case that is more than glue."""
    inner = text[span[0] + 1 : span[1] - 1].strip()
    if inner[-1:] in ".!?…" or "," in inner:
        return True
    return any(word[:1].islower() and word not in _TITLE_GLUE for word in _WORD.findall(inner))


def _framed_as_speech(text: str, span: Span, words: Words) -> bool:
    """Quoted text a cue frames as speech, whatever it reads like: „…“, sagte X / „…“, so X, and
    X sagte: „…“. Titles and names are not written so."""
    after = next((i for i, w in enumerate(words) if w.start >= span[1]), None)
    if after is not None and re.fullmatch(r"\s*,\s*", text[span[1] : words[after].start]):
        if words[after].text == "so" or _is_cue(words, after):
            return True
    if not text[: span[0]].rstrip().endswith(":"):
        return False
    return any(_is_cue(words, i) for i, w in enumerate(words) if w.end <= span[0])


def _mostly_a_name(span: Span, entities: Sequence[Named]) -> bool:
    """Quoted text the entity recogniser reads as a name for the most part ("Reporter ohne Grenzen")."""
    inner = max(1, span[1] - span[0] - 2)
    covered = sum(max(0, min(e.end, span[1]) - max(e.start, span[0])) for e in entities)
    return covered >= 0.6 * inner


def _word_count(text: str, span: Span) -> int:
    return len(_WORD.findall(text, span[0], span[1]))


def _is_cue(words: Sequence[Word], index: int) -> bool:
    if index > 0 and words[index].text[:1].isupper():
        return False  # a noun inside the sentence ("nach Berichten"), not a verb
    partners = _cue_partners(words[index].text.lower())
    if partners is None:
        return False
    if not partners:
        return True
    return any(w.text.lower() in partners for w in words[index + 1 : index + 8])


@functools.cache
def _cue_partners(word: str) -> tuple[str, ...] | None:
    """None when the word is no verb of saying; else the partner words it needs ("gab" … "an"), () for none."""
    # the verb's forms by their stem and an ending: "schlug", "schlugen"
    stem = next((word[:cut] for cut in (len(word), len(word) - 1, len(word) - 2) if word[:cut] in _WITH_PARTNER), None)
    if stem is not None:
        return _WITH_PARTNER[stem]
    if word in _NOT_SAYING or not word.startswith(_SAYING):
        return None
    return ()


def _first_cue(words: Sequence[Word]) -> Span | None:
    for index, word in enumerate(words):
        if _is_cue(words, index):
            return (word.start, word.end)
    return None


def _body(text: str, start: int, end: int) -> Span:
    """start..end without surrounding whitespace, commas and the sentence's final punctuation."""
    while start < end and (text[start].isspace() or text[start] in ",;:–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".!?,;:"):
        end -= 1
    return (start, end)


def _entity_in(entities: Sequence[Named], start: int, end: int, last: bool = False) -> int | None:
    """The entity (a person or organisation first) inside start..end: the last one when `last`."""
    inside = [i for i, e in enumerate(entities) if start <= e.start and e.end <= end and e.label != "MISC"]
    if not inside:
        return None
    people = [i for i in inside if entities[i].label in ("PER", "ORG")] or inside
    return people[-1] if last else people[0]


_LEADING = frozenset({"auch", "doch", "aber", "und", "so", "zudem", "jedoch", "dann", "nun", "außerdem"})


def _first_noun_phrase(text: str, start: int, end: int) -> Span | None:
    """The first noun phrase in start..end, read as: articles, adjectives and capitalised words up to the
    first other lower-case word ("Die Firma", "Ein WWF-Sprecher", "der innenpolitische Sprecher der SPD")."""
    words = [m for m in _WORD.finditer(text, start, end)]
    while words and words[0].group(0).lower() in _LEADING:
        words = words[1:]
    taken: list[re.Match[str]] = []
    for index, match in enumerate(words):
        word = match.group(0)
        if word[:1].isupper() or word.lower() in _NP_WORDS or word.lower() in _ARTICLES:
            taken.append(match)
        elif word[:1].islower() and word.endswith(("e", "en", "er", "es", "em")) and _noun_follows(words, index + 1):
            taken.append(match)  # an adjective before its noun ("der autoritäre, belarussische Machthaber")
        else:
            break
    while taken and (taken[-1].group(0).lower() in _NP_WORDS or taken[-1].group(0).lower() in _ARTICLES):
        taken.pop()
    if not taken or not any(m.group(0)[:1].isupper() for m in taken):
        return None
    return taken[0].start(), taken[-1].end()


def _only_a_noun_phrase(text: str, span: Span) -> bool:
    """Nothing in the span but capitalised words, numbers, commas and the little words of noun phrases."""
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _NP_WORDS or w.lower() in _ARTICLES
               for w in _WORD.findall(text, span[0], span[1]))  # fmt: skip


def _noun_follows(words: Sequence[re.Match[str]], index: int) -> bool:
    """A capitalised word follows, after nothing but adjectives."""
    for match in words[index : index + 4]:
        word = match.group(0)
        if word[:1].isupper():
            return True
        if not word.endswith(("e", "en", "er", "es", "em")):
            return False
    return False


def _pronoun_referent(entities: Sequence[Named], before: int) -> int | None:
    people = [i for i, e in enumerate(entities) if e.end <= before and e.label == "PER"]
    return people[-1] if people else None


def _mention(
    text: str, start: int, end: int, entities: Sequence[Named], last: bool = False
) -> tuple[Span | None, int | None] | None:
    """The speaker mention inside start..end: an entity, else a pronoun, else the noun phrase there."""
    entity = _entity_in(entities, start, end, last)
    if entity is not None:
        return (entities[entity].start, entities[entity].end), entity
    for match in _WORD.finditer(text, start, end):
        if match.group(0) in _PRONOUNS:
            return match.span(), None
    phrase = _first_noun_phrase(text, start, end) or _body(text, start, end)
    return (phrase, None) if phrase[1] - phrase[0] >= 2 else None


# Words that open a sentence with its subject ("Die Polizei …"), not with an adverbial.
_SENTENCE_SUBJECTS = frozenset({"Der", "Die", "Das", "Ein", "Eine", "Andere", "Mehrere", "Viele", "Beide"})
_SUBJECT_OPENERS = frozenset({"der", "die", "das", "ein", "eine", "sein", "seine", "ihr", "ihre", "dessen"})


def _subject(
    text: str, clause_start: int, cue: Span, clause_end: int, entities: Sequence[Named], sentence_start: int = -1
) -> tuple[Span | None, int | None] | None:
    """Who the cue verb's subject is. German puts the verb second: when the clause opens with its subject
    ("Die Ministerin bezeichnete …", "Er sagte …", "Anna Berg sagte …") that is the speaker; when it
    opens with anything else ("Später sagte Merkel", "…, sagte ein Sprecher") the subject follows the verb."""
    verb_end = cue[1]
    after = _WORD.search(text, verb_end, clause_end)
    if after is not None and after.group(0) == "sich":  # "äußerte sich der Chef"
        verb_end = after.end()
        after = _WORD.search(text, verb_end, clause_end)
    right_after = after is not None and not text[verb_end : after.start()].strip(" ")
    if right_after and after is not None and after.group(0) in _PRONOUNS_AFTER_THE_VERB:
        return after.span(), None  # "Der Politik schlug er vor": a pronoun right after the verb is its subject
    opening = _opening_subject(text, clause_start, cue[0], entities)
    if opening is not None:
        return opening
    if right_after and after is not None:
        word = after.group(0)
        entity = next((i for i, e in enumerate(entities) if e.start == after.start()), None)
        if entity is not None:
            return (entities[entity].start, entities[entity].end), entity
        if word in _PRONOUNS:
            return after.span(), None
        if word.lower() in _SUBJECT_OPENERS or word[:1].isupper():  # "So erklärte FDP-Finanzexperte Jürgen Koppelin"
            phrase = _first_noun_phrase(text, after.start(), clause_end)
            if phrase is not None:
                return phrase, _entity_in(entities, phrase[0], phrase[1], last=True)
    if sentence_start >= 0 and not text[clause_start : cue[0]].strip():  # "X, der Y, sagte"
        return _before_an_apposition(text, sentence_start, clause_start - 1, entities)
    return _mention(text, clause_start, cue[0], entities, last=True)


def _opening_subject(
    text: str, start: int, end: int, entities: Sequence[Named]
) -> tuple[Span | None, int | None] | None:
    """The subject a clause opens with, before `end`: a pronoun, a name, or a noun phrase with an article."""
    first = _WORD.search(text, start, end)
    if first is None:
        return None
    if first.group(0) in _PRONOUNS:
        return first.span(), None
    entity = next((i for i, e in enumerate(entities) if e.start == first.start() and e.end <= end), None)
    if entity is not None and entities[entity].label in ("PER", "ORG"):
        return (entities[entity].start, entities[entity].end), entity
    named = _person_after_roles(text, first, end, entities)
    if named is not None:  # "EADS-Vorstandsvorsitzender Louis Gallois kommentierte …"
        return (first.start(), entities[named].end), named
    if first.group(0) in _SENTENCE_SUBJECTS:
        phrase = _first_noun_phrase(text, first.start(), end)
        if phrase is not None:
            named = _entity_in(entities, phrase[0], phrase[1], last=True)
            if named is not None and entities[named].label != "PER":
                named = None
            return phrase, named
    return None


def _person_after_roles(text: str, first: re.Match[str], end: int, entities: Sequence[Named]) -> int | None:
    """The person a clause opens with behind up to three words of role and origin ("EADS-Chef Louis
    Gallois", "Australiens Ministerpräsidentin Julia Gillard"): at least one a role, the others roles
    or names in the genitive."""
    words = [first]
    while len(words) <= 3:
        at = next((i for i, e in enumerate(entities) if e.start == words[-1].end() + 1 and e.end <= end), None)
        if at is not None and entities[at].label == "PER":
            roles = [w.group(0) for w in words]
            if any(is_role(w) for w in roles) and all(is_role(w) or w[:1].isupper() and w.endswith("s") for w in roles):
                return at
            return None
        following = _WORD.search(text, words[-1].end(), end)
        if following is None or following.start() != words[-1].end() + 1:
            return None
        words.append(following)
    return None


def _before_an_apposition(
    text: str, sentence_start: int, closing_comma: int, entities: Sequence[Named]
) -> tuple[Span | None, int | None] | None:
    """The name before an apposition that ends right before the verb: "Andres Granier, der Gouverneur
    von Tabasco, sagte": Andres Granier."""
    opening = _comma(text, sentence_start, closing_comma, last=True)
    first = _WORD.search(text, opening + 1, closing_comma) if opening != -1 else None
    if first is None:
        return None
    # "Der Leiter des Programms, Klaus Stöhr, sagte": the apposition is the name
    named = _entity_in(entities, opening + 1, closing_comma)
    if named is not None and entities[named].label == "PER":
        name = entities[named]
        after_the_name = text[name.end : closing_comma]  # nothing, or a party: "Sandra Boser (Grüne),"
        if not text[opening + 1 : name.start].strip() and re.fullmatch(r"\s*(\([^()]*\))?\s*", after_the_name):
            return (name.start, name.end), named
    if first.group(0) not in ("der", "die", "das", "dem", "des", "ein", "eine", "einem", "eines"):
        return None
    return _mention(text, _clause_start(text, sentence_start, opening), opening, entities, last=True)


def _speaker_near(
    text: str,
    sentence: Sentence,
    quoted: Span,
    outside: Sequence[Word],
    cue: Span | None,
    entities: Sequence[Named],
    before: tuple[Span | None, int | None],
) -> tuple[Span | None, int | None] | None:
    """The speaker of a direct quotation: the subject of its cue, or with no verb of saying the source it
    is attributed to; the clause before a colon; the subject the sentence opens with; the speaker of the
    quotation just before; a name in the sentence."""
    if not outside:
        return before
    start, end = outside[0].start, outside[-1].end
    if cue is None:
        source = _source(text, sentence, quoted, outside, entities)
        if source is not None:
            return source
    if cue is not None:
        ends = [c for c in (text.find(mark, cue[1], sentence.end) for mark in ':„“"') if c != -1]
        clause_end = min(ends, default=sentence.end)
        clause_start = _clause_start(text, sentence.start, cue[0])
        if quoted[1] <= cue[0]:  # „…“ erklärte X: the subject is not inside the quotation
            clause_start = max(clause_start, quoted[1])
        found = _subject(text, clause_start, cue, min(clause_end, sentence.end), entities, sentence.start)
        if found is not None:
            return found
    if outside[0].text in _PRONOUNS:  # "Er ersuchte Putin, eine „symmetrische Antwort“ …": the subject
        return (outside[0].start, outside[0].end), None
    colon = text.rfind(":", sentence.start, quoted[0])  # "Paolo hatte mit den Worten abgelehnt: „…“"
    if colon != -1 and (cue is None or cue[0] < colon):
        clause_start = _clause_start(text, sentence.start, colon)
        # "Dabei griff sie den Präsidenten Ahmadinedschad an:": "er" and "sie" after the verb are its subject
        pronoun = next(
            (w for w in outside if clause_start <= w.start < colon and w.text in _PRONOUNS_AFTER_THE_VERB), None
        )
        mention = ((pronoun.start, pronoun.end), None) if pronoun else _mention(text, clause_start, colon, entities)
        if mention is not None:
            return mention
    opening = _opening_subject(text, start, end, entities)  # the first word outside the quotation marks
    if opening is not None:
        return opening
    entity = _entity_in(entities, start, end)
    if entity is not None:
        return (entities[entity].start, entities[entity].end), entity
    for w in outside:
        if w.text in _PRONOUNS:
            return (w.start, w.end), None
    return before if before[0] is not None else None


_CLAUSE_END = re.compile(r"[.,;:!?„“\"]")
_AFTER_A_COMMA_OR_QUOTE = re.compile(r"[,“\"]\s*$")


def _source(
    text: str, sentence: Sentence, quoted: Span, outside: Words, entities: Sequence[Named]
) -> tuple[Span | None, int | None] | None:
    """Who a quotation with no verb of saying is attributed to: „…“, so X; laut X; nach Angaben X; X
    zufolge. "„Es ist schwer vorstellbar …“, so Lanzer": Lanzer, not the speaker of the sentence before."""
    # "„…“, so X" and "„…“ hätten „…“, so X": after a comma, once the sentence's last quotation is done
    so = next(
        (
            i
            for i, w in enumerate(outside)
            if w.text == "so"
            and w.start >= quoted[1]
            and i + 1 < len(outside)
            and _AFTER_A_COMMA_OR_QUOTE.search(text, max(0, w.start - 4), w.start)
        ),
        None,
    )
    if so is not None:
        stop = _CLAUSE_END.search(text, outside[so].end, sentence.end)
        return _mention(text, outside[so + 1].start, stop.start() if stop else sentence.end, entities)
    # a closing word, so that the frame's noun phrase may run to the last word outside the quotation
    words = [*outside, Word(sentence.end, sentence.end, ".")]
    frame = _frame(words, [w.text.lower() for w in words])
    if frame is not None and frame[2] <= frame[3]:
        return _mention(text, words[frame[2]].start, words[frame[3]].end, entities)
    return None


def _indirect(text: str, sentence: Sentence, ordinal: int, words: Words, entities: Sequence[Named]) -> list[Quotation]:
    """Indirect speech in a sentence: the first of the rules below that finds some."""
    if len(words) < 4:
        return []
    lower = [w.text.lower() for w in words]
    for rule in (_around_a_frame, _after_wie, _beside_a_cue_verb, _in_a_clause, _before_so):
        found = rule(text, sentence, ordinal, words, lower, entities)
        if found is not None:
            return found
    return []


def _around_a_frame(
    text: str, sentence: Sentence, ordinal: int, words: Words, lower: Sequence[str], entities: Sequence[Named]
) -> list[Quotation] | None:
    """A frame anywhere in the sentence: "Laut X", "nach Angaben (von) X", "X zufolge", "gemäß X",
    "Demnach": the quotation is the sentence around it (in two parts when the frame stands inside)."""
    frame = _frame(words, lower)
    if frame is None:
        return None
    first, last, speaker_first, speaker_last = frame
    speaker = (
        _mention(text, words[speaker_first].start, words[speaker_last].end, entities)
        if speaker_first <= speaker_last
        else None
    )
    if lower[speaker_first] == "eigenen":  # "nach eigenen Angaben": the mention, standing for the subject named
        subject = next(
            (
                i
                for i, e in enumerate(entities)
                if sentence.start <= e.start < sentence.end and e.label in ("PER", "ORG")
            ),
            None,
        )
        speaker = ((words[speaker_first].start, words[speaker_last].end), subject)
    parts = tuple(
        part
        for part in (_body(text, sentence.start, words[first].start), _body(text, words[last].end, sentence.end))
        if _word_count(text, part) >= 2
    )
    cue_index = first if lower[first] != "zufolge" and lower[last] != "zufolge" else last
    cue = (words[cue_index].start, words[cue_index].end)
    if lower[first] == "nach":
        cue = (words[first].start, words[first].end)
    return [_quotation(parts, "indirect", ordinal, cue, speaker)] if parts else []


def _after_wie(
    text: str, sentence: Sentence, ordinal: int, words: Words, lower: Sequence[str], entities: Sequence[Named]
) -> list[Quotation] | None:
    """ "Wie X mitteilte, …": the quotation follows the frame's comma."""
    if lower[0] != "wie":
        return None
    comma = _comma(text, words[0].end, sentence.end)
    if comma == -1:
        return None
    verb = next((i for i, w in enumerate(words) if w.start < comma and _is_cue(words, i)), None)
    if verb is None:
        return None
    speaker = _mention(text, words[1].start, words[verb].start, entities)
    span = _body(text, comma + 1, sentence.end)
    return [_quotation((span,), "indirect", ordinal, (words[verb].start, words[verb].end), speaker)]


def _beside_a_cue_verb(
    text: str, sentence: Sentence, ordinal: int, words: Words, lower: Sequence[str], entities: Sequence[Named]
) -> list[Quotation] | None:
    """ "…, sagte X." (the cue after the quotation) and "X sagte, (dass) …" (the quotation after the
    cue's comma), for the first verb of saying that makes either."""
    for index in range(len(words)):
        if not _is_cue(words, index):
            continue
        cue = (words[index].start, words[index].end)
        comma_after = _comma(text, words[index].end, sentence.end)
        comma_before = _comma(text, sentence.start, words[index].start, last=True)
        # after the quotation: near the sentence's end, or right after a clause in the subjunctive ("Sie
        # seien außer Gefahr, sagte X, der Sprecher der …")
        tail_words = [w for w in words if w.start > words[index].end]
        near_the_end = comma_before != -1 and len(tail_words) <= 8 and comma_after == -1
        right_after = comma_before != -1 and not text[comma_before + 1 : words[index].start].strip()
        reported_before = any(w.text in _SUBJUNCTIVE for w in words if w.end <= comma_before)
        if near_the_end or (right_after and reported_before and not text[words[index].end :].startswith(",")):
            span = _body(text, sentence.start, comma_before)
            # "…, sagte X." or, the verb last, "…, wie die Polizei mitteilte."
            speaker = _mention(text, words[index].end, sentence.end, entities) or _mention(
                text, comma_before + 1, words[index].start, entities
            )
            # not when what stands before the comma is only a name ("Anja Hajduk, Sprecherin der …, sagte:")
            if _word_count(text, span) >= 3 and not _only_a_noun_phrase(text, span):
                return [_quotation((span,), "indirect", ordinal, cue, speaker)]
        if comma_after != -1 and len([w for w in words if words[index].end <= w.start < comma_after]) <= 5:
            span = _body(text, comma_after + 1, sentence.end)
            if _word_count(text, span) >= 3:
                speaker = _subject(text, sentence.start, cue, comma_after, entities)
                return [_quotation((span,), "indirect", ordinal, cue, speaker)]
    return None


# The last word of a statement's main clause right before ", dass"/", ob": particles of verbs that state or
# conclude and judgements that frame a claim (in train the rule finds 29 more quotations, 26 of them gold).
_CLAUSE_OPENERS = frozenset(
    {"bekannt", "an", "aus", "heraus", "darüber", "darauf", "möglich", "unwahrscheinlich", "angenommen"}
)


def _in_a_clause(
    text: str, sentence: Sentence, ordinal: int, words: Words, lower: Sequence[str], entities: Sequence[Named]
) -> list[Quotation] | None:
    """ "X fürchtet, dass …" / "…, ob …": a that- or whether-clause after a cue, or in the subjunctive."""
    for index, word in enumerate(lower):
        if word not in ("dass", "ob") or index <= 1 or text[words[index - 1].end : words[index].start].strip() != ",":
            continue
        verb = next((i for i in range(index) if _is_cue(words, i)), None)
        if verb is None and lower[index - 1] in _CLAUSE_OPENERS:
            verb = index - 1  # "… gaben bekannt, dass", "… gehen davon aus, dass", "… hält es für möglich, dass"
        if verb is None and not any(w in _SUBJUNCTIVE for w in lower[index + 1 :]):
            continue
        span = _body(text, words[index].start, sentence.end)
        if verb is None:
            speaker = _mention(text, sentence.start, words[index].start, entities)
            return [_quotation((span,), "indirect", ordinal, None, speaker)]
        verb_span = (words[verb].start, words[verb].end)
        clause_start = _clause_start(text, sentence.start, verb_span[0])
        speaker = _subject(text, clause_start, verb_span, words[index].start, entities, sentence.start)
        return [_quotation((span,), "indirect", ordinal, verb_span, speaker)]
    return None


def _before_so(
    text: str, sentence: Sentence, ordinal: int, words: Words, lower: Sequence[str], entities: Sequence[Named]
) -> list[Quotation] | None:
    """ "…, so X." at the sentence's end."""
    for index in range(len(words) - 1, max(len(words) - 16, 0), -1):
        comma = _comma(text, sentence.start, words[index].start, last=True)
        subject_follows = index + 1 < len(words) and (
            words[index + 1].text[:1].isupper() or lower[index + 1] in _SUBJECT_OPENERS
        )  # "…, so der Sprecher", not "…, so sind Rucksäcke verboten"
        if (
            lower[index] == "so"
            and subject_follows
            and comma > sentence.start
            and not text[comma + 1 : words[index].start].strip()
        ):
            span = _body(text, sentence.start, comma)
            speaker = _mention(text, words[index].end, sentence.end, entities)
            return [_quotation((span,), "indirect", ordinal, (words[index].start, words[index].end), speaker)]
    return None


_FRAME_WORDS = (
    "angaben",
    "ansicht",
    "worten",
    "auffassung",
    "meinung",
    "einschätzung",
    "informationen",
    "berichten",
    "darstellung",
    "aussage",
    "aussagen",
    "auskunft",
    "schätzungen",
    "erkenntnissen",
    "bewertung",
    "überzeugung",
    "recherchen",
    "angabe",
    "zählung",
    "meldungen",
    "vorstellungen",
    "bericht",
    "berechnungen",
    "ermittlungen",
    "erkenntnisstand",
    "analyse",
    "planungen",
    "nachricht",
    "ankündigung",
    "darstellungen",
    "stellungnahme",
    "schätzung",
    "erfahrungen",
    "quellenlage",
    "bekunden",
    "studie",
    "medienberichten",
    "urteil",
)
_STANDALONE_FRAMES = frozenset({"demnach", "wonach"})


def _frame(words: Sequence[Word], lower: Sequence[str]) -> tuple[int, int, int, int] | None:
    """(first word, last word, speaker's first word, speaker's last word) of a frame, or None."""
    for index, word in enumerate(lower):
        if word in ("laut", "gemäß") and index + 1 < len(words):
            end = _noun_phrase_end(words, index + 1)
            return index, end - 1, index + 1, end - 1
        if word == "nach":
            for offset in (1, 2, 3):
                if index + offset < len(words) and lower[index + offset].endswith(_FRAME_WORDS):
                    if lower[index + 1] == "eigenen":  # "nach eigenen Angaben": the words the gold marks
                        return index, index + offset, index + 1, index + offset
                    end = (
                        _noun_phrase_end(words, index + offset + 1)
                        if index + offset + 1 < len(words)
                        else index + offset + 1
                    )
                    if end <= index + offset + 1 or lower[index + offset + 1] not in _NP_WORDS:
                        end = index + offset + 1  # "nach Polizeiangaben", "nach offiziellen Angaben"
                        following = words[end].text if end < len(words) else ""
                        if following[:1].isupper() and following.endswith("s"):
                            end += 1  # "nach Angaben Ibrahims"
                    # the speaker is the frame itself: "Angaben des Innenministeriums", "offiziellen Angaben"
                    return index, end - 1, index + 1, end - 1
        if word == "zufolge":
            start = index
            while (
                start > 0
                and (words[start - 1].text[:1].isupper() or lower[start - 1] in _NP_WORDS)
                and start > index - 8
            ):
                start -= 1
            return start, index, start, index - 1
        if word in _STANDALONE_FRAMES:  # "Demnach …": the word stands for its source, as a pronoun does
            return index, index, index, index
    return None


def _noun_phrase_end(words: Sequence[Word], start: int) -> int:
    """Index just past the noun phrase starting at `start`: capitalised words and the little words that
    join them ("der Polizei", "Angaben des Innenministeriums von Bayern")."""
    index = start
    while index < len(words):
        word = words[index].text
        if word[:1].isupper() or word.lower() in _NP_WORDS or word[:1].isdigit():
            index += 1
            continue
        break
    while index > start + 1 and words[index - 1].text.lower() in _NP_WORDS:
        index -= 1  # "laut der Polizei der schwere Schnee": the second "der" opens the quotation's noun
    # The quotation starts with the verb: give it back the last capitalised word when nothing is left.
    return min(index, len(words) - 1) if index > start + 1 else min(start + 1, len(words) - 1)


def _comma(text: str, start: int, end: int, last: bool = False) -> int:
    """The first (or last) comma in start..end that separates clauses, not digits ("6,5 Prozent"); -1 if none."""
    while (at := text.rfind(",", start, end) if last else text.find(",", start, end)) != -1:
        if not (text[at - 1 : at].isdigit() and text[at + 1 : at + 2].isdigit()):
            return at
        start, end = (start, at) if last else (at + 1, end)
    return -1


def _clause_start(text: str, sentence_start: int, position: int) -> int:
    comma = _comma(text, sentence_start, position, last=True)
    return comma + 1 if comma != -1 else sentence_start
