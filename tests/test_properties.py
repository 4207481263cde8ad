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
