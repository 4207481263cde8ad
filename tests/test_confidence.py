"""Confidence of entity mentions and quotations: what found them decides their bucket, and a bucket's
confidence is the share of its members gold confirmed."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import BIN
from textlake.ingest.prepare import PreparedDocument, document_id
from textlake.lake.tables import entities_table, quotes_table
from textlake.nlp.analyse import AnalysedDocument, analyse_documents
from textlake.nlp.confidence import (
    ANY,
    ENTITY_TABLE,
    PRIOR_WEIGHT,
    QUOTATION_TABLE,
    mention_confidence,
    quotation_confidence,
    read_table,
    shrunk_buckets,
)
from textlake.nlp.entities import EntityRecognizer, _double_surname, load_recognizer


def analysed(text: str, recognizer: EntityRecognizer) -> AnalysedDocument:
    doc = PreparedDocument(document_id(text), "x", "0" * 64, 1, "utf-8", None, None, None, "de", 1.0, text)
    [result] = analyse_documents([doc], recognizer)
    return result


def ruler(patterns: list[dict]) -> EntityRecognizer:
    """A stand-in model: a spaCy entity ruler with these patterns."""
    import spacy

    nlp = spacy.blank("de")
    nlp.add_pipe("entity_ruler").add_patterns(patterns)
    return EntityRecognizer(nlp, max_sentence_chars=2_000)


def test_a_bucket_is_pulled_towards_its_wider_one_the_more_the_fewer_members_it_has():
    buckets = {b.key: b for b in shrunk_buckets({("direct", "named"): (90, 85), ("direct", "none"): (2, 0),
                                                  ("reported", "named"): (30, 15)})}  # fmt: skip

    assert buckets[(ANY, ANY)].confidence == round(100 / 122, 3)  # 0.82: all members
    direct = (85 + PRIOR_WEIGHT * 100 / 122) / (92 + PRIOR_WEIGHT)
    assert buckets[("direct", ANY)].confidence == round(direct, 3)
    assert buckets[("direct", "named")].confidence == round((85 + PRIOR_WEIGHT * direct) / 100, 3)  # 0.93
    assert buckets[("direct", "none")].confidence == round((0 + PRIOR_WEIGHT * direct) / 12, 3)  # 0 of 2: 0.70
    assert (buckets[("direct", "none")].members, buckets[("direct", "none")].right) == (2, 0)


def test_the_shipped_tables_say_what_they_hold_and_give_shares():
    for path in (ENTITY_TABLE, QUOTATION_TABLE):
        assert path.read_text(encoding="utf-8").startswith("# How sure textlake is of")
        table = read_table(path)
        assert (ANY, ANY) in table
        assert all(0 <= bucket.confidence <= 1 and 0 <= bucket.right <= bucket.members for bucket in table.values())


def test_a_name_found_in_two_ways_is_trusted_more_than_one_the_network_found_alone():
    text = "Angela Merkel traf am Montag Emmanuel Macron in Paris."
    entities = entities_table([analysed(text, load_recognizer("default", 2_000))]).to_pylist()

    found = {row["text"]: row["confidence"] for row in entities}
    assert found == {
        "Angela Merkel": mention_confidence("first_name+model", "PER"),  # the network and the first-name rule
        "Emmanuel Macron": mention_confidence("model", "PER"),  # the network alone
        "Paris": mention_confidence("list+model", "LOC"),  # the network and the list of places
    }
    assert found["Angela Merkel"] > found["Paris"] > found["Emmanuel Macron"]


def test_a_surname_extended_to_the_given_name_before_it_is_a_bucket_of_its_own():
    [mentions] = load_recognizer("default", 2_000).recognise(["Gülsen Celebi gab an, dass ihre Mandantin Angst hatte."])

    assert [(m.text, m.found_by) for m in mentions if m.label == "PER"] == [("Gülsen Celebi", "given_name")]


def test_a_given_name_takes_the_double_surname_after_it_and_no_hyphenated_noun():
    recognizer = load_recognizer("default", 2_000)
    [mentions] = recognizer.recognise(["Viele wählen FPÖ, sagt Politologe Laurenz Ennser-Jedenastik im Gespräch."])

    assert ("Laurenz Ennser-Jedenastik", "given_name") in [(m.text, m.found_by) for m in mentions if m.label == "PER"]


@pytest.mark.parametrize(
    ("word", "surname"),
    [("Ennser-Jedenastik", True), ("Schimmer-Göresz", True), ("EU-Kommissarin", False), ("SPD-Chef", False),
     ("Jedenastik", False), ("Ennser-jedenastik", False)],
)  # fmt: skip
def test_a_double_surname_is_capitalised_parts_of_letters_joined_by_hyphens(word, surname):
    assert _double_surname(word) is surname


def test_a_surname_repeated_by_document_consistency_has_the_confidence_of_repeated_names():
    recognizer = ruler([{"label": "PER", "pattern": "Erwin Pröll"}])

    [full, alone] = analysed("Erwin Pröll eröffnete die Messe. Danach lobte Pröll die Aussteller.", recognizer).entities

    assert (full.found_by, alone.found_by) == ("model", "repeated")
    assert entities_table([analysed("Erwin Pröll kam. Pröll ging.", recognizer)]).column("confidence").to_pylist() == [
        mention_confidence("model", "PER"),
        mention_confidence("repeated", "PER"),
    ]


def test_a_mention_the_documents_vote_relabelled_is_trusted_less():
    recognizer = ruler([{"label": "PER", "pattern": [{"ORTH": "Strache", "IS_SENT_START": True}]},
                        {"label": "ORG", "pattern": [{"ORTH": "Strache", "IS_SENT_START": False}]}])  # fmt: skip
    document = analysed("Strache kam. Strache sprach. Dann ging Strache.", recognizer)

    assert [(e.label, e.relabelled) for e in document.entities] == [("PER", False), ("PER", False), ("PER", True)]
    assert entities_table([document]).column("confidence").to_pylist()[2] == mention_confidence("relabelled", "PER")
    assert mention_confidence("relabelled", "PER") < mention_confidence("model", "PER")


def test_a_bucket_the_table_does_not_have_takes_its_wider_one():
    table = read_table(ENTITY_TABLE)
    assert mention_confidence("a rule added later", "PER") == table[(ANY, ANY)].confidence
    assert mention_confidence("model", "a label added later") == table[("model", ANY)].confidence


def test_direct_speech_with_a_named_speaker_is_trusted_more_than_an_unnamed_indirect_one():
    text = "Die Kanzlerin sagte, Frankreich sei ein Freund. „Wir sind zufrieden“, sagte Steffen Seibert."
    quotes = quotes_table([analysed(text, load_recognizer("default", 2_000))]).to_pylist()

    assert [(q["kind"], q["speaker"], q["speaker_canonical"], q["confidence"]) for q in quotes] == [
        ("indirect", "Die Kanzlerin", None, quotation_confidence("indirect", True, False)),
        ("direct", "Steffen Seibert", "Steffen Seibert", quotation_confidence("direct", True, True)),
    ]
    assert quotes[1]["confidence"] > quotes[0]["confidence"]


def test_eval_confidence_prints_each_level_with_the_share_gold_confirms(tmp_path):
    text = "„Wir sind zufrieden“, sagte Steffen Seibert. Die Firma verkaufte Autos."
    gold = tmp_path / "gold.jsonl"
    quoted = [0, text.index("“") + 1]
    gold.write_text(json.dumps({"id": "a", "text": text, "quotes": [{"type": "Direct", "quote": [quoted]}]}) + "\n")

    result = subprocess.run([str(BIN / "textlake"), "eval", "confidence", "--gold", str(gold)],
                            capture_output=True, text=True, timeout=300)  # fmt: skip

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["confidence", "quotations", "right", "share"]
    assert lines[1].split() == [f"{quotation_confidence('direct', True, True):.3f}", "1", "1", "1.000"]
    assert lines[-1].startswith("calibration gap")


@pytest.mark.slow
def test_the_quotation_tables_hold_on_the_gold_they_were_calibrated_on(shared_data):
    """Fails when the quotation rules changed what they find and the tables were not written again
    (`python -m textlake.training.confidence`)."""
    result = subprocess.run(
        [str(BIN / "textlake"), "eval", "confidence", "--gold", str(shared_data / "wikinews" / "dev.jsonl")],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    gap = float(result.stdout.splitlines()[-1].rsplit(" ", 1)[1])
    assert gap <= 0.05, result.stdout
