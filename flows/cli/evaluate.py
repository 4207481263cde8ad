"""`textlake eval`: language quality against gold data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from flows.cli.app import _fail, eval_app

# `--direct-speech-weights`, the same for every command that runs the quotation stage
DirectSpeechWeights = Annotated[
    Optional[Path],
    typer.Option(
        help="Decide direct speech with the classifier of FILE (CC BY-NC-SA 4.0) [default: the rules].",
        exists=True,
        dir_okay=False,
        show_default=False,
        metavar="FILE",
    ),
]


@eval_app.command("sentences")
def eval_sentences(
    gold: Annotated[
        Path,
        typer.Option(
            "--gold",
            help="JSONL with text and gold [start, end) sentence spans.",
            metavar="FILE",
            exists=True,
            dir_okay=False,
        ),
    ],
    errors: Annotated[int, typer.Option("--errors", help="Print this many mismatches.", metavar="N")] = 0,
) -> None:
    """Sentence-boundary precision, recall, F1 and exact-sentence share of textlake's segmenter."""
    import time

    from textlake.training.evaluate import evaluate_sentences, read_sentence_gold

    started = time.perf_counter()
    result = evaluate_sentences(read_sentence_gold(gold), keep_errors=errors)
    seconds = time.perf_counter() - started
    b = result.boundaries
    typer.echo(
        f"boundaries  P {b.precision:.4f}  R {b.recall:.4f}  F1 {b.f1:.4f}  ({b.true_positives} of {b.gold} gold, {b.predicted} predicted)"
    )
    typer.echo(f"sentences   {result.exact_share:.4f} of {result.gold_sentences} gold sentences matched exactly")
    typer.echo(f"speed       {result.chars / seconds:,.0f} characters/s (with scoring)")
    for doc_id, kind, context in result.errors:
        typer.echo(f"{kind:9} {doc_id}: {context}")


@eval_app.command("ner")
def eval_ner(
    gold: Annotated[
        Path,
        typer.Option(
            "--gold",
            help="GermEval 2014 TSV, or Universal NER .iob2 (PER, LOC, ORG).",
            metavar="FILE",
            exists=True,
            dir_okay=False,
        ),
    ],
    ner_model: Annotated[
        str, typer.Option(help="'default', 'transformer', or a spaCy package/path.", metavar="MODEL")
    ] = "default",
    limit: Annotated[
        Optional[int], typer.Option(help="Only the first N sentences.", show_default=False, metavar="N")
    ] = None,
) -> None:
    """Entity-level precision, recall and F1 (exact spans), overall and per label, and words/s."""
    from textlake.nlp.workers import recognizer_for
    from textlake.settings import Settings
    from textlake.training.evaluate import evaluate_ner

    try:
        recognizer = recognizer_for(Settings(ner_model=ner_model))
    except OSError as error:  # a model that is not built, or a path that holds none
        _fail(str(error).splitlines()[-1])
    if recognizer is None:
        _fail("eval ner needs a model, not 'none'", 2)
    result = evaluate_ner(gold, recognizer, limit)
    typer.echo(f"{'label':6} {'P':>7} {'R':>7} {'F1':>7} {'gold':>6}")
    for label, s in [*result.per_label.items(), ("all", result.overall)]:
        typer.echo(f"{label:6} {s.precision:7.4f} {s.recall:7.4f} {s.f1:7.4f} {s.gold:6d}")
    typer.echo(
        f"{result.sentences} sentences, {result.words:,} words, {result.words_per_second:,.0f} words/s on one process"
    )


@eval_app.command("quotes")
def eval_quotes(
    gold: Annotated[
        Path,
        typer.Option(
            "--gold",
            help="JSONL with text and gold `quotes` (the German news quotation attribution data's format).",
            metavar="FILE",
            exists=True,
            dir_okay=False,
        ),
    ],
    errors: Annotated[
        int, typer.Option("--errors", help="Print this many missed or spurious quotations.", metavar="N")
    ] = 0,
    limit: Annotated[
        Optional[int], typer.Option(help="Only the first N articles.", show_default=False, metavar="N")
    ] = None,
    direct_speech_weights: DirectSpeechWeights = None,
) -> None:
    """Quotation precision, recall and F1 (lenient: overlap of at least half the longer one), per kind,
    exact boundaries, cues, and speaker accuracy, of the language stage as a run applies it."""
    from textlake.nlp import direct_speech
    from textlake.nlp.workers import recognizer_for
    from textlake.settings import Settings
    from textlake.training.evaluate import evaluate_quotations, quotations_by_the_pipeline, read_quotation_gold

    articles = read_quotation_gold(gold)[:limit]
    direct_speech.use_weights(direct_speech_weights)
    result = evaluate_quotations(articles, quotations_by_the_pipeline(recognizer_for(Settings())), errors)
    typer.echo(f"{'quotations':24} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5} {'found':>6}")
    rows = [("all kinds (lenient)", result.lenient), *result.per_kind.items()]
    rows += [("exact boundaries", result.exact), ("cues", result.cue)]
    for name, s in rows:
        typer.echo(f"{name:24} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.gold:5d} {s.predicted:6d}")
    typer.echo(
        f"speaker accuracy         {result.speaker_accuracy:6.3f}  "
        f"({result.speakers_right} of {result.speakers_gold} matched quotations with a gold speaker)"
    )
    typer.echo(f"{len(articles)} articles")
    for article_id, kind, text in result.errors:
        typer.echo(f"{kind:30} {article_id}: {text}")


@eval_app.command("confidence")
def eval_confidence(
    gold: Annotated[
        Path,
        typer.Option(
            "--gold",
            help="Wikinews-style JSONL with gold `quotes` (quotations), or NER documents: CoNLL .conllu with "
            "-DOCSTART- lines, Universal NER .iob2 with '# newdoc' (entity mentions).",
            metavar="FILE",
            exists=True,
            dir_okay=False,
        ),
    ],
) -> None:
    """How well the confidence of quotations or entity mentions holds on gold data: per confidence level,
    how many were found and the share that gold confirms, and the members-weighted mean gap between the two."""
    from textlake.nlp.confidence import entity_bucket_confidence, quotation_bucket_confidence
    from textlake.nlp.workers import recognizer_for
    from textlake.settings import Settings
    from textlake.training.confidence import (
        calibration_gap,
        judged_mentions,
        judged_quotations,
        read_entity_documents,
        reliability,
    )

    if gold.suffix not in (".jsonl", ".conllu", ".iob2"):
        _fail(f"{gold.name}: give a .jsonl (quotations), .conllu or .iob2 (entity mentions) file", 2)
    recognizer = recognizer_for(Settings())
    assert recognizer is not None  # the default model
    if gold.suffix == ".jsonl":
        what, levels = "quotations", reliability(judged_quotations(gold, recognizer), quotation_bucket_confidence)
    else:
        documents = read_entity_documents(gold)
        what, levels = "mentions", reliability(judged_mentions(documents, recognizer), entity_bucket_confidence)
    typer.echo(f"{'confidence':>10} {what:>10} {'right':>6} {'share':>6}")
    for level in levels:
        typer.echo(f"{level.confidence:10.3f} {level.members:10d} {level.right:6d} {level.share:6.3f}")
    members, right = sum(level.members for level in levels), sum(level.right for level in levels)
    typer.echo(f"{'all':>10} {members:10d} {right:6d} {right / members if members else 0:6.3f}")
    typer.echo(f"calibration gap (members-weighted mean |confidence - share|): {calibration_gap(levels):.3f}")


@eval_app.command("speakers")
def eval_speakers(
    gold: Annotated[
        Path,
        typer.Option(
            "--gold",
            help="JSONL with text and gold `quotes`, as for `eval quotes`.",
            metavar="FILE",
            exists=True,
            dir_okay=False,
        ),
    ],
    labels: Annotated[
        Path,
        typer.Option(
            "--labels",
            help="JSONL: whom each gold quotation's speaker refers to (tests/data/README.md).",
            metavar="FILE",
            exists=True,
            dir_okay=False,
        ),
    ],
    errors: Annotated[int, typer.Option("--errors", help="Print this many wrong speakers.", metavar="N")] = 0,
    direct_speech_weights: DirectSpeechWeights = None,
) -> None:
    """Who said it: the share of found quotations whose `speaker_canonical` is the person (full name,
    exactly) or organisation the text names as speaker, and of those naming nobody left NULL."""
    from textlake.nlp import direct_speech
    from textlake.nlp.workers import recognizer_for
    from textlake.settings import Settings
    from textlake.training.evaluate import quotations_by_the_pipeline, read_quotation_gold
    from textlake.training.speaker_evaluation import evaluate_speakers, read_speaker_labels

    direct_speech.use_weights(direct_speech_weights)
    try:
        speaker_labels = read_speaker_labels(labels)
    except ValueError as error:
        _fail(str(error), 2)
    wanted = {label.article for label in speaker_labels}
    articles = [a for a in read_quotation_gold(gold) if a.id in wanted]
    if len(articles) != len(wanted):
        _fail(f"{len(wanted) - len(articles)} labelled articles are not in {gold}", 2)
    try:
        result = evaluate_speakers(
            articles, speaker_labels, quotations_by_the_pipeline(recognizer_for(Settings())), errors
        )
    except ValueError as error:
        _fail(str(error), 2)
    typer.echo(f"{'speakers':34} {'right':>6} {'of':>5} {'share':>6}")
    rows = [
        ("named (persons and organisations)", result.named), ("persons (full name, exactly)", result.persons),
        ("organisations", result.organisations), ("unnamed, left NULL", result.unnamed),
    ]  # fmt: skip
    for name, tally in rows:
        typer.echo(f"{name:34} {tally.right:6d} {tally.total:5d} {tally.share:6.3f}")
    typer.echo(f"{len(articles)} articles; {result.unmatched} labelled quotations not found by the run (not scored)")
    for where, kind, expected, found in result.errors:
        typer.echo(f"{kind:8} {where}: expected {expected!r}, found {found!r}")


@eval_app.command("html")
def eval_html(
    gold: Annotated[
        Path,
        typer.Option(
            "--gold",
            help="JSONL of news pages with what each site's parser extracts (file, url, title, authors, published, body).",
            metavar="FILE",
            exists=True,
            dir_okay=False,
        ),
    ],
    pages: Annotated[
        Optional[Path],
        typer.Option(
            "--pages",
            help="Folder of the pages' files [default: pages/ beside FILE].",
            show_default=False,
            metavar="DIR",
        ),
    ] = None,
    errors: Annotated[
        int, typer.Option("--errors", help="Print the pages with a wrong title or date and the N lowest body F1.")
    ] = 0,
) -> None:
    """Main text (body word F1), titles, dates and authors of HTML pages as `textlake run` reads them."""
    from textlake.training.evaluate_html import (
        AUTHOR_RULE,
        BODY_RULE,
        DATE_RULE,
        TITLE_RULE,
        evaluate_html,
        read_page_gold,
    )

    gold_pages = read_page_gold(gold, pages)
    missing = [page.file for page in gold_pages if not page.file.is_file()]
    if missing:
        _fail(f"{len(missing)} of {len(gold_pages)} pages not found, e.g. {missing[0]} (see --pages)", 2)
    result = evaluate_html(gold_pages)
    n = len(result.pages)

    def share(count: int) -> str:
        return f"{count} of {n} ({count / n:.1%})" if n else "0 of 0"

    typer.echo(f"pages     {n}")
    typer.echo(
        f"body      word F1 {result.mean('body_f1'):.4f}  P {result.mean('body_precision'):.4f}  "
        f"R {result.mean('body_recall'):.4f}  ({BODY_RULE})"
    )
    typer.echo(f"titles    {share(result.count('title_right'))} exact ({TITLE_RULE})")
    typer.echo(f"dates     {share(result.count('date_right'))} right ({DATE_RULE})")
    typer.echo(f"authors   {share(result.count('authors_right'))} exact ({AUTHOR_RULE})")
    typer.echo(f"speed     {result.seconds / max(n, 1) * 1000:.1f} ms a page, reading and extraction, one process")
    if errors:
        for page in result.pages:
            if not page.title_right:
                typer.echo(f"title     {page.name}: {page.title!r}")
            if not page.date_right:
                typer.echo(f"date      {page.name}: {page.published!r}")
        for page in sorted(result.pages, key=lambda p: p.body_f1)[:errors]:
            typer.echo(
                f"body      {page.name}: F1 {page.body_f1:.3f} (P {page.body_precision:.3f}, R {page.body_recall:.3f})"
            )
