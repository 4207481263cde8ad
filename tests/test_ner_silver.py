"""Silver NER sentences (textlake/training/ner_silver.py) and how the model build takes them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from textlake.training.ner.corpora import UNKNOWN, read_silver
from textlake.training.ner.germeval import GoldSentence
from textlake.training.ner_silver import fill_the_unknown, keep_the_sure

REPO = Path(__file__).resolve().parents[1]


def test_the_teacher_is_kept_where_it_is_sure_and_a_whole_entity_or_nothing_of_it():
    words = ["Angela", "Merkel", "besuchte", "Bad", "Tölz", "gestern"]
    tagged = [("B-PER", 0.99), ("I-PER", 0.97), ("O", 0.99), ("B-LOC", 0.95), ("I-LOC", 0.6), ("O", 0.5)]
    sentence = keep_the_sure(words, tagged, min_probability=0.9)
    # "Bad" is sure on its own, but "Tölz" is not: the place teaches nothing, rather than a wrong boundary.
    assert sentence.tags == ["B-PER", "I-PER", "O", UNKNOWN, UNKNOWN, UNKNOWN]


def test_a_corpus_keeps_its_own_tags_and_the_teacher_fills_only_what_it_leaves_unknown():
    # SmartData marks persons and places but no MISC: "Bundesliga" is unknown there, and so is "FC".
    gold = GoldSentence(["Thomas", "Müller", "spielt", "Bundesliga", "beim", "FC", "Bayern"],
                        ["B-PER", "I-PER", "O", UNKNOWN, "O", UNKNOWN, "B-ORG"])  # fmt: skip
    tagged = [("B-PER", 0.99), ("O", 0.6), ("O", 0.99), ("B-MISC", 0.95), ("O", 0.99), ("B-ORG", 0.97),
              ("I-ORG", 0.97)]  # fmt: skip
    filled = fill_the_unknown(gold, tagged, min_probability=0.9)
    # The gold person stays whole; MISC fills an unknown word; an entity reaching into gold tags fills nothing.
    assert filled.tags == ["B-PER", "I-PER", "O", "B-MISC", "O", UNKNOWN, "B-ORG"]


def test_silver_files_are_read_back_with_their_unknown_tags(tmp_path):
    path = tmp_path / "silver.jsonl"
    path.write_text(json.dumps({"tokens": ["In", "Wien"], "tags": ["O", ""]}) + "\n", encoding="utf-8")
    [sentence] = read_silver(path)
    assert sentence.tokens == ["In", "Wien"] and sentence.tags == ["O", UNKNOWN]


def test_silver_from_non_commercial_text_never_trains_the_shipped_model(tmp_path):
    silver = tmp_path / "gnad.jsonl"
    silver.write_text(json.dumps({"tokens": ["Wien"], "tags": ["B-LOC"]}) + "\n", encoding="utf-8")
    (tmp_path / "gnad.jsonl.source").write_text("10kgnad\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "textlake.training.ner.build", "--silver", str(silver)],
        capture_output=True, text=True, cwd=REPO, timeout=300,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "silver-10kgnad may not train the shipped model; write it elsewhere with --out"
    )
