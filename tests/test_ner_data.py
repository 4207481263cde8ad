"""The NER training corpora read into textlake's labels, a label a corpus does not mark stays unknown, and
the NER evaluation scores Universal NER on the labels it has."""

from __future__ import annotations

import subprocess
import sys
from itertools import islice

import spacy

from tests.conftest import REPO
from textlake.nlp.entities import EntityRecognizer
from textlake.training.evaluate import evaluate_ner
from textlake.training.ner.corpora import CORPORA, LABELS, UNKNOWN, read_corpus, repair_umlauts


def test_a_label_the_corpus_does_not_mark_is_unknown_on_capitalised_words_only(tmp_path):
    # Europeana marks PER, LOC and ORG: "Bundesliga" may be a MISC it never marks, "beginnt" is surely O
    europeana = tmp_path / "ner" / "europeana"
    europeana.mkdir(parents=True)
    (europeana / "sample.bio").write_text(
        "# a comment\nDie O\nBundesliga O\nbeginnt O\nin O\nBerlin B-LOC\n. O\nKarl B-PER\nMay I-PER\nschrieb O\n",
        encoding="utf-8",
    )
    first, second = read_corpus("europeana", tmp_path)
    assert list(zip(first.tokens, first.tags, strict=True)) == [
        ("Die", UNKNOWN),
        ("Bundesliga", UNKNOWN),
        ("beginnt", "O"),
        ("in", "O"),
        ("Berlin", "B-LOC"),
        (".", "O"),
    ]
    assert second.spans() == [(0, 2, "PER")]


def test_the_mangled_umlauts_of_the_conll_copy_are_repaired():
    assert [repair_umlauts(word) for word in ("Erzдhlung", "Glauburgstraяe", "ƒrzte", "÷ffentlichkeit", "Berlin")] == [
        "Erzählung",
        "Glauburgstraße",
        "Ärzte",
        "Öffentlichkeit",
        "Berlin",
    ]


def test_universal_ner_is_scored_on_its_own_labels(tmp_path):
    gold = tmp_path / "sample.iob2"
    gold.write_text(
        "# text = Angela Merkel besuchte Paris zur Expo\n"
        "1\tAngela\tB-PER\t-\t-\n2\tMerkel\tI-PER\t-\t-\n3\tbesuchte\tO\t-\t-\n"
        "4\tParis\tB-LOC\t-\t-\n5\tzur\tO\t-\t-\n6\tExpo\tO\t-\t-\n\n",
        encoding="utf-8",
    )
    nlp = spacy.blank("de")
    nlp.add_pipe("entity_ruler").add_patterns(  # type: ignore[attr-defined]
        [
            {"label": "PER", "pattern": "Angela Merkel"},
            {"label": "ORG", "pattern": "Paris"},
            {"label": "MISC", "pattern": "Expo"},  # UNER has no MISC: neither right nor wrong there
        ]
    )
    evaluation = evaluate_ner(gold, EntityRecognizer(nlp, max_sentence_chars=1000))
    assert (evaluation.overall.true_positives, evaluation.overall.predicted, evaluation.overall.gold) == (1, 2, 2)
    assert "MISC" not in evaluation.per_label


def test_every_training_corpus_reads_into_textlake_labels(shared_data):
    for name in CORPORA:
        sentences = list(islice(read_corpus(name, shared_data), 300))
        labels = {label for sentence in sentences for *_, label in sentence.spans()}
        assert len(sentences) == 300, name
        assert {"PER", "LOC", "ORG"} <= labels <= LABELS, (name, labels)
        assert all(len(s.tokens) == len(s.tags) and s.tokens for s in sentences), name


def test_a_corpus_not_licensed_for_the_shipped_model_cannot_overwrite_it():
    build = [sys.executable, "-m", "textlake.training.ner.build", "--corpora", "germeval,wikineural"]
    result = subprocess.run(build, capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip() == "wikineural may not train the shipped model; write it elsewhere with --out"


def test_the_fine_tuning_stage_starts_from_the_trained_network(tmp_path):
    from spacy.util import load_config

    from textlake.training.ner.build import fine_tune_config

    config = load_config(fine_tune_config(tmp_path / "model-last", 1500, tmp_path / "fine-tune.cfg"))
    assert config["components"]["ner"] == {"source": str(tmp_path / "model-last")}
    assert config["components"]["tok2vec"] == {"source": str(tmp_path / "model-last")}
    assert config["training"]["max_steps"] == 1500


def test_a_corpus_weight_must_be_a_whole_number():
    build = [sys.executable, "-m", "textlake.training.ner.build", "--corpora", "germeval*3,smartdata*x"]
    result = subprocess.run(build, capture_output=True, text=True, cwd=REPO, timeout=120)
    assert (result.returncode, result.stderr.strip()) == (1, "a corpus weight is a whole number: 'smartdata*x'")
