"""Properties of the stages for any text (hypothesis)."""

from __future__ import annotations

import subprocess
import sys

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import REPO
from textlake.ingest.normalise import normalise_text
from textlake.ingest.prepare import PreparedDocument, document_id
from textlake.nlp.analyse import analyse_documents
from textlake.nlp.entities import EntityRecognizer
from textlake.nlp.segment import segment_sentences

WORDS = [
    "Putin",
    "Berlin",
    "sagte",
    "am",
    "3.",
    "Juni",
    "St.",
    "Dr.",
    "z.B.",
    "„Ja.“",
    "Nein!",
    "Wirklich?",
    "…",
    "2000.",
    "u.",
    "a.",
    ":",
    ";",
    "(",
    ")",
    "Platz 19.",
    "XX.",
    "Wort.Wort",
    "www.Beispiel.de",
    "Worten:",
    "„Satz:",
    "\n",
    "\n\n",
    " ",
    "北京。",
    "😀",
]
texty = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(WORDS), max_size=80).map(" ".join),
)


@given(texty)
def test_sentences_tile_the_text_in_order(text):
    spans = segment_sentences(text)
    position = 0
    for span in spans:
        assert position <= span.start < span.end <= len(text)
        assert text[position : span.start].strip() == ""  # only whitespace between sentences
        sentence = text[span.start : span.end]
        assert sentence == sentence.strip() and sentence
        position = span.end
    assert text[position:].strip() == ""
    assert [s.paragraph for s in spans] == sorted(s.paragraph for s in spans)


@given(st.text(max_size=300))
def test_normalisation_is_idempotent(text):
    once = normalise_text(text)
    assert normalise_text(once) == once


def _ruler_recognizer() -> EntityRecognizer:
    nlp = spacy.blank("de")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "LOC", "pattern": "Berlin"},
            {"label": "PER", "pattern": "Putin"},
            {"label": "LOC", "pattern": "St. Petersburg"},
        ]
    )
    return EntityRecognizer(nlp, max_sentence_chars=2_000)


RECOGNIZER = _ruler_recognizer()


@settings(max_examples=60)
@given(
    st.lists(st.sampled_from([*WORDS, "Berlin", "Putin", "Putins", "St. Petersburg", "Berlin-Mitte"]), max_size=60).map(
        " ".join
    )
)
def test_entities_lie_inside_their_sentences_and_their_offsets_index_the_text(text):
    text = normalise_text(text)
    if not text:
        return
    doc = PreparedDocument(document_id(text), "x", "0" * 64, 1, "utf-8", None, None, None, "de", 1.0, text)
    [analysed] = analyse_documents([doc], RECOGNIZER)
    for entity in analysed.entities:
        sentence = analysed.sentences[entity.sentence]
        assert sentence.start <= entity.start < entity.end <= sentence.end
        assert text[entity.start : entity.end] == entity.text
    assert [e.start for e in analysed.entities] == sorted(e.start for e in analysed.entities)


def test_doc_id_is_the_same_in_another_process_with_another_hash_seed():
    texts = ["Grüße aus Köln.", "北京。", "", "Zeile\nzwei"]
    code = "import json,sys; from textlake.ingest.prepare import document_id; print(json.dumps([document_id(t) for t in json.loads(sys.argv[1])]))"
    import json

    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(texts)], capture_output=True, text=True, cwd=REPO,
        env={"PYTHONHASHSEED": "12345", "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}, check=True,
    ).stdout  # fmt: skip
    assert json.loads(out) == [document_id(t) for t in texts]


# Pieces of German news sentences, quoted and not, with verbs of saying, names and pronouns: random
# sequences of them make texts with quotations in every shape the rules read (and many they cannot).
QUOTATION_PIECES = [
    "„Wir bleiben hier“,",
    "„Das ist falsch.“",
    "„Nein“",
    "»Nie wieder!«",
    "„Die Lage ist ernst",
    "und wir handeln“",
    "sagte",
    "sagte Putin.",
    "erklärte er",
    "betonte die Sprecherin",
    "so Putin.",
    "laut Putin",
    "Putin zufolge",
    "Putin sagte:",
    "Er sagte,",
    "sie werde",
    "es sei",
    "die Lage sei ernst.",
    "Die Polizei teilte mit,",
    "der Präsident",
    "Berlin",
    "Putin",
    "in Berlin",
    "am Montag",
    "soll",
    "Das erklärte ein Sprecher.",
    ",",
    ".",
    ":",
    "\n\n",
    "(dpa)",
    "Nach Angaben der Polizei",
    "wie er sagte",
    "dass",
    "Er habe",
    "nichts gewusst.",
]


@settings(max_examples=80)
@given(st.lists(st.sampled_from(QUOTATION_PIECES), min_size=1, max_size=50).map(" ".join))
def test_quotations_lie_in_their_document_in_order_with_their_speaker_outside_the_quoted_words(text):
    from textlake.lake.tables import quotes_table

    text = normalise_text(text)
    if not text.strip():
        return
    doc = PreparedDocument(document_id(text), "x", "0" * 64, 1, "utf-8", None, None, None, "de", 1.0, text)
    [analysed] = analyse_documents([doc], RECOGNIZER)
    rows = quotes_table([analysed]).to_pylist()
    for row in rows:
        parts = row["parts"]
        assert parts and all(0 <= start < end <= len(text) for start, end in parts)
        assert all(a[1] <= b[0] for a, b in zip(parts, parts[1:], strict=False)), "parts overlap or go back"
        assert (row["start_char"], row["end_char"]) == (parts[0][0], parts[-1][1])
        assert row["text"] == text[row["start_char"] : row["end_char"]]
        for what in ("cue", "speaker"):
            if row[what] is not None:
                start, end = row[f"{what}_start_char"], row[f"{what}_end_char"]
                assert 0 <= start < end <= len(text) and text[start:end] == row[what]
        # who speaks is not among the words they say (reported speech is the sentence that names its subject)
        if row["speaker"] is not None and row["kind"] != "reported":
            start, end = row["speaker_start_char"], row["speaker_end_char"]
            assert not any(s <= start and end <= e for s, e in parts), (row["speaker"], row["text"])
    distinct = {(tuple(map(tuple, r["parts"])), r["speaker_start_char"], r["speaker_end_char"]) for r in rows}
    assert len(distinct) == len(rows), "the same quotation twice"
    assert [r["start_char"] for r in rows] == sorted(r["start_char"] for r in rows)
