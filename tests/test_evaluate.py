"""The sentence-boundary evaluation computes what it claims, on literal gold and on a slice of Wikinews."""

from __future__ import annotations

from textlake.training.evaluate import GoldText, evaluate_sentences, read_sentence_gold


def test_boundary_scores_on_a_literal_example():
    text = "Erster Satz. Zweiter Satz: mit Doppelpunkt. Dritter."
    gold = GoldText("x", text, [(0, 12), (13, 25), (26, 43), (44, 52)])  # gold splits at the colon
    evaluation = evaluate_sentences([gold])
    assert (evaluation.boundaries.true_positives, evaluation.boundaries.predicted, evaluation.boundaries.gold) == (
        2,
        2,
        3,
    )
    assert evaluation.boundaries.precision == 1.0
    assert round(evaluation.boundaries.recall, 4) == 0.6667
    assert (evaluation.exact_sentences, evaluation.gold_sentences) == (2, 4)


def test_wikinews_dev_slice(shared_data):
    gold = read_sentence_gold(shared_data / "wikinews" / "dev.jsonl")[:30]
    evaluation = evaluate_sentences(gold)
    assert evaluation.gold_sentences > 100
    assert 0.9 < evaluation.boundaries.f1 <= 1.0
