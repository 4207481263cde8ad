"""Each stage on small literal inputs, with the exact output expected."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
from pathlib import Path

import numpy as np
import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from textlake.ingest.decode import Undecodable, decode_bytes
from textlake.ingest.header import parse_header
from textlake.ingest.language import SYNCHRONISING_BYTES, WindowedIdentifier, detect_language
from textlake.ingest.normalise import normalise_text
from textlake.ingest.outlets import host_of_url, outlet_of
from textlake.ingest.prepare import PreparedDocument, document_id, prepare_document
from textlake.ingest.sources import RawFile, SourceFile
from textlake.nlp.canonical import canonical_names
from textlake.nlp.segment import segment_sentences

GERMAN = "Der Preis: „5 €“ für Müller – naïve Straße."


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in segment_sentences(text)]


# --- decode ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, encoding",
    [
        (GERMAN.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + GERMAN.encode("utf-8"), "utf-8-sig"),
        (GERMAN.encode("utf-16"), "utf-16"),
        (GERMAN.encode("utf-16-le"), "utf-16-le"),
        (GERMAN.encode("utf-16-be"), "utf-16-be"),
        (GERMAN.encode("cp1252"), "cp1252"),
    ],
)
def test_decode_recovers_the_text_and_names_the_encoding(raw, encoding):
    decoded = decode_bytes(raw)
    assert (decoded.text.lstrip("\ufeff"), decoded.encoding) == (GERMAN, encoding)


def test_a_few_invalid_utf8_bytes_are_replaced_not_the_whole_text_garbled():
    decoded = decode_bytes("Grüße aus Köln ".encode() + b"\xff" + " und München".encode())
    assert decoded.text == "Grüße aus Köln \ufffd und München"
    assert decoded.encoding == "utf-8 (1 invalid byte replaced)"


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"%PDF-1.7\n", "binary"),
        (b"\x7fELF\x02\x01\x01", "binary"),
        (b"\x00\x01\x02\x03" * 50, "binary"),
    ],
)
def test_decode_rejects_what_is_not_text(raw, reason):
    with pytest.raises(Undecodable) as error:
        decode_bytes(raw)
    assert error.value.reason == reason


# --- normalise ------------------------------------------------------------------------------------


def test_normalise_composes_unicode_unifies_line_ends_and_keeps_paragraphs():
    raw = "Mu\u0308nchen  \r\nzweite\x07 Zeile\r\r\n\n\nNeuer Absatz\u200b.\n"
    assert normalise_text(raw) == "München\nzweite Zeile\n\nNeuer Absatz."


def test_normalise_is_idempotent():
    text = " date 2022-06 A\r\n\r\n\r\nB \t\n"
    assert normalise_text(normalise_text(text)) == normalise_text(text)


# --- header ---------------------------------------------------------------------------------------


def test_month_header_becomes_the_publication_date_and_leaves_the_text():
    header = parse_header(" date 2022-06 Russland wird nach Angaben")
    assert (header.published, header.precision, header.body) == (
        dt.date(2022, 6, 1),
        "month",
        "Russland wird nach Angaben",
    )


def test_day_header_on_its_own_line():
    header = parse_header("date 2022-06-03\nText")
    assert (header.published, header.precision, header.body) == (dt.date(2022, 6, 3), "day", "Text")


@pytest.mark.parametrize(
    "data, published, precision",
    [
        (b" date 2023-03 Der Landtag tagt.", dt.datetime(2023, 3, 1, tzinfo=dt.UTC), "month"),
        (b"date 2023-03-14\nDer Landtag tagt.", dt.datetime(2023, 3, 14, tzinfo=dt.UTC), "day"),
        (b"Der Landtag tagt.", None, None),
    ],
)
def test_a_text_files_date_is_published_at_midnight_utc_and_says_nothing_else(data, published, precision):
    doc = prepare_document(
        RawFile(SourceFile(Path("/in/landtag.txt"), len(data)), data, hashlib.sha256(data).hexdigest())
    )
    assert isinstance(doc, PreparedDocument)
    assert (doc.published, doc.published_precision, doc.text) == (published, precision, "Der Landtag tagt.")
    assert (doc.title, doc.url, doc.outlet, doc.authors, doc.external_id, doc.source_record) == (None,) * 6


@pytest.mark.parametrize(
    "text, note",
    [
        (" date 2022-13 Text", "date header 'date 2022-13' is not a date: month must be in 1..12"),
        (" date 22-06 Text", "first line starts like a date header but is not ' date YYYY-MM': 'date 22-06'"),
        ("date:2022-06 Text", "first line starts like a date header but is not ' date YYYY-MM': 'date:2022-06'"),
    ],
)
def test_malformed_header_stays_in_the_text_with_a_note(text, note):
    header = parse_header(text)
    assert (header.published, header.body, header.note) == (None, text, note)


def test_no_header_means_no_date_and_no_note():
    assert parse_header("Kein Datum hier.") == parse_header("Kein Datum hier.").__class__(
        None, None, "Kein Datum hier.", None
    )


# --- language -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, code",
    [
        ("Russland wird nach Angaben von Präsident Wladimir Putin bald Raketen liefern.", "de"),
        ("The European Central Bank raised interest rates again on Thursday.", "en"),
        ("Москва — столица России, крупнейший город страны.", "ru"),
        ("12345 67", "und"),
    ],
)
def test_language_is_detected_per_document(text, code):
    assert detect_language(text).code == code


MANY_SCRIPTS = [
    GERMAN,
    "Russland wird nach Angaben von Präsident Wladimir Putin bald Raketen liefern. " * 12,
    "The European Central Bank raised interest rates again on Thursday.",
    "La Banque centrale européenne a relevé ses taux d'intérêt jeudi.",
    "Москва — столица России, крупнейший город страны.",
    "東京は日本の首都です。人口は約千四百万人です。",
    "القاهرة هي عاصمة مصر وأكبر مدنها.",
    "Η Αθήνα είναι η πρωτεύουσα της Ελλάδας.",
    "DIE BUNDESREGIERUNG BESCHLIESST NEUE REGELN",
    "Zürich, 3. Mai 2024 (dpa) – 42 % mehr 😀 als 2023 ¶ naïve",
    "a",
    "x1",
    "12345 67 !!",
    "",
]


@pytest.fixture(scope="module")
def ours_and_py3langids():
    return (
        WindowedIdentifier.from_model_file(MODEL_FILE, norm_probs=True),
        LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True),
    )


@pytest.mark.parametrize("text", MANY_SCRIPTS)
def test_language_scores_are_py3langids_own_to_the_last_bit(text, ours_and_py3langids):
    ours, theirs = ours_and_py3langids
    assert ours.classify(text) == theirs.classify(text)
    assert ours.rank(text) == theirs.rank(text)


@pytest.mark.slow  # ~6 s and ~0.8 GB: every pair of the automaton's 104,583 states, under every byte
def test_the_language_automaton_forgets_where_it_started_after_its_window():
    """From every pair of states, every byte string of SYNCHRONISING_BYTES bytes leads both to one state: so
    the state at a byte is the one reached from the start over the bytes just before it."""
    model = LanguageIdentifier.from_model_file(MODEL_FILE)
    moves = np.asarray(model.tk_nextmove, dtype=np.int64).ravel()
    row_starts = np.asarray(model.tk_row, dtype=np.int64) << 8
    n_states = len(row_starts)
    pairs = np.arange(n_states, dtype=np.int64) * n_states  # (every state, the start state 0)
    for _ in range(SYNCHRONISING_BYTES):
        firsts, seconds = pairs // n_states, pairs % n_states
        apart = firsts != seconds
        firsts, seconds = firsts[apart], seconds[apart]
        pairs = np.unique(
            np.concatenate(
                [moves[row_starts[firsts] + byte] * n_states + moves[row_starts[seconds] + byte] for byte in range(256)]
            )
        )
    assert np.all(pairs // n_states == pairs % n_states)


# --- sentences ------------------------------------------------------------------------------------


def test_abbreviations_ordinals_and_years():
    text = "Am 3. Juni kam Dr. Müller nach St. Petersburg. Das war im Jahr 2000. Dann ging er."
    assert sentences(text) == [
        "Am 3. Juni kam Dr. Müller nach St. Petersburg.",
        "Das war im Jahr 2000.",
        "Dann ging er.",
    ]


def test_quotes_stay_with_their_sentence_and_a_colon_after_a_verb_of_saying_does_not_split():
    text = 'Er sagte: "Minsk muss bereit sein." Insbesondere verlangte er mehr. Sie rief: „Wir kommen!“ Dann ging sie.'
    assert sentences(text) == [
        'Er sagte: "Minsk muss bereit sein."',
        "Insbesondere verlangte er mehr.",
        "Sie rief: „Wir kommen!“",
        "Dann ging sie.",
    ]


def test_a_heading_paragraph_is_a_sentence_of_its_own():
    text = "Erster Satz.\n\nAufrüstung\n\nDie Pläne dürften für Spannungen sorgen."
    spans = segment_sentences(text)
    assert [(text[s.start : s.end], s.paragraph) for s in spans] == [
        ("Erster Satz.", 0), ("Aufrüstung", 1), ("Die Pläne dürften für Spannungen sorgen.", 2),
    ]  # fmt: skip


def test_initials_and_dotted_abbreviations_do_not_end_sentences():
    assert sentences("George W. Bush kam u. a. nach Berlin, z.B. mit dem Zug. Gut.") == [
        "George W. Bush kam u. a. nach Berlin, z.B. mit dem Zug.", "Gut.",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "text, expected",
    [
        # a semicolon ends a sentence, as the Wikinews gold has it …
        (
            "Der Rücktritt eines Papstes ist sehr selten; in zwei Jahrtausenden gab es nur wenige. Gut.",
            ["Der Rücktritt eines Papstes ist sehr selten;", "in zwei Jahrtausenden gab es nur wenige.", "Gut."],
        ),
        # … unless it separates the short items of a list
        (
            "Als Besatzung sind vorgesehen: Eileen M. Collins, Kommandantin; James M. Kelly, Pilot; Wendy B. Lawrence.",
            [
                "Als Besatzung sind vorgesehen: Eileen M. Collins, Kommandantin; James M. Kelly, Pilot; Wendy B. Lawrence."
            ],
        ),
    ],
)
def test_a_semicolon_ends_a_sentence_unless_it_separates_list_items(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a sentence after a clause
        (
            "Dies war nicht die erste Störung in Brunsbüttel: Bereits 1978 hatte es dort gebrannt.",
            ["Dies war nicht die erste Störung in Brunsbüttel:", "Bereits 1978 hatte es dort gebrannt."],
        ),
        (
            "Die Firma empfindet die Kritik als ungerechtfertigt: Sie hält den Reis für einwandfrei.",
            ["Die Firma empfindet die Kritik als ungerechtfertigt:", "Sie hält den Reis für einwandfrei."],
        ),
    ],
)
def test_a_colon_ends_a_sentence_when_a_sentence_follows_a_clause(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a quotation: what the clause announces, its speaker in the same sentence
        "Der Bundespräsident sparte nicht mit Kritik: „Jeder sollte wissen, was auf dem Spiel steht.“",
        # a verb of saying (textlake/nlp/quotes/words/saying.txt), a word that announces speech
        # (textlake/nlp/words/colon_openers.txt)
        "Sascha Kempf erläutert die Hypothese so: Da gibt es zwei Arten von Partikeln im Eis.",
        "Barbara Riedl stellt aber klar: Über die Architektur kann man noch diskutieren.",
        # speech without quotation marks, in the first person
        "Vorsichtig gab sich auch Stürmer Marc Janko: Ich habe großen Respekt vor dem Gegner.",
        "Der Kanzler lobte ihn mit den Worten: Er hat in seinem Amt sehr viel erreicht.",
        # inside quotation marks, inside brackets
        "Er schloss mit dem Satz „Jeder sollte wissen: Je kleiner die Schritte, desto mehr Schritte braucht es.“",
        "Die Firma (Überschrift auf ihrer Homepage: Wir übernehmen Verantwortung) schweigt bisher dazu.",
        # a speaker's name, a label of two words
        "Dr. Robert Kelly: Nordkorea wird einen Krieg mit dem Süden nicht riskieren.",
        "Die Folge: Ihr Abstand zur Sonne ist nicht immer gleich groß.",
        "Ganz einfach: Die Partei hat die Wahl klar verloren.",
        # a list, a few words
        "Der Verfassungsschutz beobachtet drei Parteien: NPD, DVU, Republikaner und deren Jugendverbände.",
        "Sein erstes großes Werk entstand in den 1970er Jahren: Le Grand Macabre.",
    ],
)
def test_a_colon_stays_in_its_sentence_before_speech_names_lists_and_titles(text):
    assert sentences(text) == [text]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a lost space after a full stop
        (
            "Drei Punkte wurden abgezogen.Lazio Rom muss ebenfalls absteigen.",
            ["Drei Punkte wurden abgezogen.", "Lazio Rom muss ebenfalls absteigen."],
        ),
        # but an address is no sentence end
        ("Mehr steht unter www.Beispiel.de im Netz.", ["Mehr steht unter www.Beispiel.de im Netz."]),
    ],
)
def test_a_full_stop_glued_to_the_next_sentence_ends_it(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a number after a noun is no ordinal …
        (
            "Martina Ertl landete auf Platz 19. Trainer Wolfgang Maier war dennoch zufrieden.",
            ["Martina Ertl landete auf Platz 19.", "Trainer Wolfgang Maier war dennoch zufrieden."],
        ),
        # … unless a month follows
        (
            "Betroffen sind Packungen mit dem Mindesthaltbarkeitsdatum 12. Juni 2009 und später.",
            ["Betroffen sind Packungen mit dem Mindesthaltbarkeitsdatum 12. Juni 2009 und später."],
        ),
        # Roman numerals count as ordinals
        (
            "Die XX. Olympischen Sommerspiele fanden 1972 statt.",
            ["Die XX. Olympischen Sommerspiele fanden 1972 statt."],
        ),
        (
            "König Rama IX. (Bhumibol Adulyadej) regierte lange.",
            ["König Rama IX. (Bhumibol Adulyadej) regierte lange."],
        ),
        # a single lower-case letter is an initial; "::R." an initial after interview marks
        ("Um 1500 v. Chr. zerstörte ein Beben die Stadt.", ["Um 1500 v. Chr. zerstörte ein Beben die Stadt."]),
        ("::R. Kelly: Für sehr unwahrscheinlich.", ["::R. Kelly: Für sehr unwahrscheinlich."]),
        # month and company abbreviations
        ("Am 3. Aug. 2017 erschien der Bericht.", ["Am 3. Aug. 2017 erschien der Bericht."]),
        (
            "Er hielt Aktien der Neutrino, Inc. Angeblich wollte er sie verkaufen.",
            [
                "Er hielt Aktien der Neutrino, Inc. Angeblich wollte er sie verkaufen.",
            ],
        ),
    ],
)
def test_numbers_initials_and_abbreviations(text, expected):
    assert sentences(text) == expected


def test_a_line_ending_in_an_article_is_hard_wrapped_not_a_heading():
    assert sentences("Wie stehen Sie zu der\nZweckbindung der Maut-Daten?") == [
        "Wie stehen Sie zu der\nZweckbindung der Maut-Daten?",
    ]


def test_sentences_of_the_seed_article(seed_text):
    spans = segment_sentences(seed_text)
    assert len(spans) == 18
    assert seed_text[spans[0].start : spans[0].end].startswith("Russland wird nach Angaben")
    assert seed_text[spans[6].start : spans[6].end] == "Aufrüstung"
    assert seed_text[spans[11].start : spans[11].end] == "Belarus besitzt im Gegensatz zu Russland keine Atomwaffen;"


@pytest.fixture
def seed_text() -> str:
    from tests.conftest import SEED_ARTICLE

    return parse_header(normalise_text(SEED_ARTICLE.read_text(encoding="utf-8"))).body


# --- identity and canonical names -----------------------------------------------------------------


def test_doc_id_is_a_stable_content_hash():
    assert document_id("Grüße") == hashlib.sha256("Grüße".encode()).hexdigest()[:16]
    assert document_id("Grüße") != document_id("Grüsse")


def test_canonical_names_drop_titles_genitives_and_resolve_surnames():
    mentions = [
        ("Präsident Wladimir Putin", "PER"), ("Russland", "LOC"), ("Putin", "PER"), ("Russlands", "LOC"),
        ("Putins", "PER"), ("Paris", "LOC"), ("Alexander Lukaschenko", "PER"), ("Lukaschenko", "PER"),
    ]  # fmt: skip
    assert canonical_names(mentions) == [
        "Wladimir Putin", "Russland", "Wladimir Putin", "Russland",
        "Wladimir Putin", "Paris", "Alexander Lukaschenko", "Alexander Lukaschenko",
    ]  # fmt: skip


def test_gazetteer_makes_a_person_of_a_first_name_and_none_of_a_common_noun():
    import spacy
    from spacy.tokens import Span

    from textlake.nlp.ner.gazetteer import Gazetteer

    nlp = spacy.blank("de")
    gazetteer = Gazetteer(nlp)
    gazetteer.first_names.add("Kimi")
    gazetteer.common_nouns.add("Glas")
    gazetteer.add("LOC", ["Monza"])
    doc = nlp("In Monza trank Kimi Räikkönen aus dem Glas .")
    doc.ents = [Span(doc, 4, 5, label="PER"), Span(doc, 7, 8, label="PER")]  # the model: "Räikkönen", "Glas"

    tagged = [(e.text, e.label_) for e in gazetteer(doc).ents]

    assert tagged == [("Monza", "LOC"), ("Kimi Räikkönen", "PER")]


def test_gazetteer_finds_a_place_in_the_genitive_but_knows_only_its_name():
    import spacy

    from textlake.nlp.ner.gazetteer import Gazetteer

    nlp = spacy.blank("de")
    gazetteer = Gazetteer(nlp)
    gazetteer.add("LOC", ["Dänemark", "Paris"])

    doc = gazetteer(nlp("Dänemarks Königin reiste nach Paris ."))

    assert [(e.text, e.label_) for e in doc.ents] == [("Dänemarks", "LOC"), ("Paris", "LOC")]
    assert {p["pattern"] for p in gazetteer.patterns} == {"Dänemark", "Paris"}  # what canonical names treat as known


def test_gazetteer_finds_names_of_several_words_as_built_and_as_loaded_from_disk(tmp_path):
    import spacy

    from textlake.nlp.ner.gazetteer import Gazetteer

    nlp = spacy.blank("de")
    built = Gazetteer(nlp)
    built.add("LOC", ["St. Petersburg", "Den Haag"])
    built.to_disk(tmp_path)
    loaded = Gazetteer(nlp).from_disk(tmp_path)  # the names' tokens read back, not tokenized again

    for gazetteer in (built, loaded):
        doc = gazetteer(nlp("Von St. Petersburgs Hafen nach Den Haag , nicht nach Haag ."))
        assert [(e.text, e.label_) for e in doc.ents] == [("St. Petersburgs", "LOC"), ("Den Haag", "LOC")]


def test_a_place_that_ends_in_a_model_code_is_a_product():
    import spacy
    from spacy.tokens import Span

    from textlake.nlp.ner.gazetteer import Gazetteer

    nlp = spacy.blank("de")
    doc = nlp("Russland liefert das Raketensystem Iskander-M nach Baden-Württemberg .")
    doc.ents = [Span(doc, i, i + 1, label="LOC") for i in (0, 4, 6)]  # the model: three places

    tagged = [(e.text, e.label_) for e in Gazetteer(nlp)(doc).ents]

    assert tagged == [("Russland", "LOC"), ("Iskander-M", "MISC"), ("Baden-Württemberg", "LOC")]


def test_gazetteer_keeps_a_nobility_particle_inside_a_name_but_not_a_party_after_it():
    import spacy

    from textlake.nlp.ner.gazetteer import Gazetteer

    nlp = spacy.blank("de")
    gazetteer = Gazetteer(nlp)
    gazetteer.first_names.update({"Ursula", "Angela", "Johannes", "Nepomuk"})

    def persons(text: str) -> list[str]:
        return [e.text for e in gazetteer(nlp(text)).ents if e.label_ == "PER"]

    assert persons("Ursula von der Leyen sprach .") == ["Ursula von der Leyen"]
    assert persons("Bischof Johannes Nepomuk von Tschiderer starb .") == ["Johannes Nepomuk von Tschiderer"]
    assert persons("Angela Merkel von der CDU sprach .") == ["Angela Merkel"]
    assert persons("Es sprach Angela von 9 bis 10 Uhr .") == []


def test_roles_and_functions_before_a_name_are_not_part_of_it():
    mentions = [
        ("Wirtschaftsstaatssekretär Harald Mahrer", "PER"), ("Ex-Bundeskanzler Gerhard Schröder", "PER"),
        ("FPÖ-Chef Heinz-Christian Strache", "PER"), ("Trainer Peter Stöger", "PER"), ("Hans Richter", "PER"),
    ]  # fmt: skip
    assert canonical_names(mentions) == [
        "Harald Mahrer", "Gerhard Schröder", "Heinz-Christian Strache", "Peter Stöger", "Hans Richter",
    ]  # fmt: skip


def test_a_name_has_the_label_most_of_its_mentions_in_a_document_have():
    from textlake.nlp.analyse import one_label_per_name

    assert one_label_per_name([("Strache", "ORG"), ("Strache", "PER"), ("Strache", "PER"), ("Wien", "LOC")]) == [
        "PER", "PER", "PER", "LOC",
    ]  # fmt: skip
    assert one_label_per_name([("Google", "ORG"), ("Google", "PER")]) == ["ORG", "ORG"]  # a tie: the first mention's


def test_a_name_the_model_tagged_is_repeated_where_it_missed_it_unless_it_missed_most():
    import spacy

    from textlake.ingest.prepare import PreparedDocument
    from textlake.nlp.analyse import analyse_documents
    from textlake.nlp.entities import EntityRecognizer

    # a stand-in model that tags these names only where they begin a sentence
    nlp = spacy.blank("de")
    nlp.add_pipe("entity_ruler").add_patterns(
        [{"label": "PER", "pattern": [{"ORTH": name, "IS_SENT_START": True}]} for name in ("Windows", "Putin")]
    )
    recognizer = EntityRecognizer(nlp, max_sentence_chars=2_000)

    def tagged(text: str) -> list[tuple[str, int]]:
        doc = PreparedDocument(document_id(text), "x", "0" * 64, 1, "utf-8", None, None, None, "de", 1.0, text)
        [analysed] = analyse_documents([doc], recognizer)
        return [(entity.text, entity.start) for entity in analysed.entities]

    assert tagged("Putin kam nach Minsk. Dort sprach Putin lange.") == [("Putin", 0), ("Putin", 34)]
    one_in_five = "Windows 10 kommt. Wer auf Windows umsteigt, zahlt. Für Windows gibt es Updates. Mit Windows geht es. Ohne Windows nicht."
    assert tagged(one_in_five) == [("Windows", 0)]  # one stray tag is not spread over the document


def test_a_place_name_is_found_as_written_or_without_its_case_ending():
    from textlake.nlp.places import Place, place_of

    netherlands = Place(2750405, "Netherlands", "country", "NL", 52.2, 5.5, 17_000_000)
    places = {"Niederlande": netherlands}
    assert place_of("Niederlande", places) == netherlands
    assert place_of("Niederlanden", places) == netherlands  # "in den Niederlanden"
    assert place_of("Atlantis", places) is None


def test_a_place_in_the_genitive_is_its_name_and_a_listed_name_ending_in_s_stays():
    known = {"Österreich", "Paris", "Pari"}  # the gazetteer lists a "Pari" beside Paris
    assert canonical_names([("Österreichs", "LOC"), ("Paris", "LOC")], known) == ["Österreich", "Paris"]


def test_a_surname_is_the_full_name_written_twice_beside_a_noun_glued_to_it_once():
    from textlake.nlp.workers import recognizer_for
    from textlake.settings import Settings

    given_name = recognizer_for(Settings()).given_name
    glued = [("Nedeljko Bilalic", "PER"), ("Bilalic", "PER"), ("Bezirkskarriere Bilalic", "PER")]
    glued += [("Nedeljko Bilalic", "PER"), ("Bilalic", "PER")]
    assert canonical_names(glued, given_name=given_name)[-1] == "Nedeljko Bilalic"
    # two people of one surname, each with a given name, stay apart: the surname alone names neither
    family = [("Errol Joseph", "PER"), ("Errol Joseph", "PER"), ("Esther Joseph", "PER"), ("Joseph", "PER")]
    assert canonical_names(family, given_name=given_name)[-1] == "Joseph"


def test_a_surname_taken_for_an_organisation_is_the_person_the_document_names_in_full():
    from textlake.nlp.analyse import one_label_per_name

    mentions = [("Irmgard Griss", "PER"), ("Griss", "ORG"), ("Berlin", "LOC"), ("Irving Berlin", "PER")]
    names = canonical_names(mentions, known_names={"Berlin"})
    assert names == ["Irmgard Griss", "Irmgard Griss", "Berlin", "Irving Berlin"]  # a known place stays a place
    assert one_label_per_name(list(zip(names, [label for _, label in mentions], strict=True))) == [
        "PER",
        "PER",
        "LOC",
        "PER",
    ]


# --- outlets --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, host",
    [
        ("https://www.spiegel.de/politik/ausland/russland-a-123.html", "spiegel.de"),
        ("http://WWW.Zeit.DE:80/news/2023-03/x?utm=1#top", "zeit.de"),
        ("https://blogs.taz.de/eintrag", "blogs.taz.de"),
        ("https://user:pw@orf.at/stories/1", "orf.at"),
        ("https://www.de/", "www.de"),  # 'www' is the name here, not a prefix
        ("  https://tagesschau.de/inland  ", "tagesschau.de"),
        ("ftp://files.example.org/a.txt", None),
        ("tagesschau.de/inland", None),  # no scheme: not a URL
        ("https:///nohost", None),
        ("https://[::1", None),
        ("", None),
        (None, None),
    ],
)
def test_host_of_url_is_the_lower_case_host_without_www(url, host):
    assert host_of_url(url) == host


@pytest.mark.parametrize(
    "outlet, url, expected",
    [
        ("Der Spiegel", "https://www.spiegel.de/a.html", "Der Spiegel"),  # named by the source: kept
        ("  Die Zeit ", None, "Die Zeit"),
        ("https://www.zeit.de/", "https://www.spiegel.de/a.html", "zeit.de"),  # named by its address
        ("ftp://zeit.de", "https://www.spiegel.de/a.html", "spiegel.de"),
        (None, "https://www.spiegel.de/a.html", "spiegel.de"),
        ("   ", "https://www.spiegel.de/a.html", "spiegel.de"),  # only whitespace names nothing
        ("", "ftp://files.example.org/a.txt", None),
        (None, None, None),
    ],
)
def test_outlet_is_the_named_one_else_the_urls_host(outlet, url, expected):
    assert outlet_of(outlet, url) == expected
