"""Silver NER sentences: the teacher (`e5_tagger`) tags raw German news; what it is sure of is kept.

A word keeps the teacher's tag when the teacher gives it at least `min_probability`; an entity keeps its
tags only when every word of it does. Every other word is *unknown* (the empty tag, as in corpora that do
not mark a label), so it teaches the student nothing either way. Tokens are the shipped model's tokenizer's,
so the student learns on the words it will see.

Sources, by licence:
- `wikinews`: the texts of German Wikinews in ../shared (train and dev articles, CC BY 2.5, their gold
  sentence spans): may train the shipped model, with attribution;
- `10kgnad`: 10kGNAD's articles (CC BY-NC-SA 4.0), cut by textlake's segmenter: for a model you build for
  yourself, never the shipped one.

    python -m textlake.training.ner_silver --teacher build/teacher/teacher.npz --out build/silver/wikinews.jsonl
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from textlake.training.ner.corpora import SILVER_SOURCES, UNKNOWN
from textlake.training.ner.germeval import GoldSentence

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
MIN_PROBABILITY = 0.9
FILLED_CORPORA = ("smartdata", "mobie", "europeana")


def news_sentences(source: str, data: Path) -> Iterator[str]:
    """The sentences of a raw news source, titles first per article."""
    if source == "wikinews":
        for split in ("train", "dev"):
            with open(data / "wikinews" / f"{split}.jsonl", encoding="utf-8") as lines:
                for line in lines:
                    article = json.loads(line)
                    yield article["title"]
                    yield from (article["text"][start:end] for start, end in article["sentences"])
    elif source == "10kgnad":
        from textlake.nlp.segment import segment_sentences

        with open(data / "10kgnad" / "test.csv", encoding="utf-8", newline="") as rows:
            for _category, text in csv.reader(rows, delimiter=";", quotechar="'"):
                yield from (text[s.start : s.end] for s in segment_sentences(text))
    else:
        raise ValueError(f"unknown source {source!r}; known: {', '.join(SILVER_SOURCES)}")


def keep_the_sure(words: Sequence[str], tagged: Sequence[tuple[str, float]], min_probability: float) -> GoldSentence:
    """The teacher's tags where it is sure (a whole entity or nothing of it), unknown elsewhere."""
    tags = [tag if probability >= min_probability else UNKNOWN for tag, probability in tagged]
    for start, end, _label in GoldSentence(list(words), [tag for tag, _ in tagged]).spans():
        if any(tagged[i][1] < min_probability for i in range(start, end)):
            tags[start:end] = [UNKNOWN] * (end - start)
    return GoldSentence(list(words), tags)


def fill_the_unknown(gold: GoldSentence, tagged: Sequence[tuple[str, float]], min_probability: float) -> GoldSentence:
    """A gold sentence with the teacher's sure tags where the corpus leaves the label unknown (MISC in
    SmartData, MobIE, Europeana): a teacher's entity only when all its words are unknown in the gold and
    sure; the gold's own tags stay as they are."""
    tags = [
        tag if gold_tag == UNKNOWN and tag == "O" and probability >= min_probability else gold_tag
        for gold_tag, (tag, probability) in zip(gold.tags, tagged, strict=True)
    ]
    for start, end, _label in GoldSentence(gold.tokens, [tag for tag, _ in tagged]).spans():
        if all(gold.tags[i] == UNKNOWN and tagged[i][1] >= min_probability for i in range(start, end)):
            tags[start:end] = [tag for tag, _ in tagged[start:end]]
    return GoldSentence(gold.tokens, tags)


def filled_corpora(data: Path, tagger: Any, min_probability: float, batch: int = 512) -> Iterator[GoldSentence]:
    """SmartData, MobIE and Europeana with what the teacher is sure of where they mark nothing."""
    from textlake.training.ner.corpora import read_corpus

    for name in FILLED_CORPORA:
        sentences = list(read_corpus(name, data))
        for at in range(0, len(sentences), batch):
            chunk = sentences[at : at + batch]
            for gold, tagged in zip(chunk, tagger.tag_words([s.tokens for s in chunk]), strict=True):
                yield fill_the_unknown(gold, tagged, min_probability)


def silver_sentences(
    sentences: Iterable[str], tokenize: Any, tagger: Any, min_probability: float = MIN_PROBABILITY, batch: int = 512
) -> Iterator[GoldSentence]:
    """Tokenized, teacher-tagged sentences (`tokenize(text)` → words; `tagger.tag_words`)."""
    pending: list[list[str]] = []

    def flush() -> Iterator[GoldSentence]:
        for words, tagged in zip(pending, tagger.tag_words(pending), strict=True):
            yield keep_the_sure(words, tagged, min_probability)
        pending.clear()

    for sentence in sentences:
        if words := tokenize(sentence):
            pending.append(words)
        if len(pending) >= batch:
            yield from flush()
    yield from flush()


def main(argv: list[str] | None = None) -> None:
    import spacy

    from textlake.training.e5_tagger import E5Tagger, load_params
    from textlake.training.e5_weights import read_e5_file

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--teacher", type=Path, required=True, help="the teacher's teacher.npz")
    parser.add_argument("--source", default="wikinews", choices=sorted(SILVER_SOURCES))
    parser.add_argument("--data", type=Path, default=SHARED)
    parser.add_argument("--limit", type=int, default=0, help="at most this many sentences")
    parser.add_argument("--min-probability", type=float, default=MIN_PROBABILITY)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    if not args.teacher.is_file():
        sys.exit(
            f"teacher not found: {args.teacher} (make teacher, or python -m textlake.training.e5_tagger, writes it)"
        )
    tokenizer = spacy.blank("de").tokenizer
    tagger = E5Tagger(load_params(args.teacher), read_e5_file())
    if args.source == "filled":
        silver = filled_corpora(args.data, tagger, args.min_probability)
    else:
        sentences: Iterable[str] = news_sentences(args.source, args.data)
        if args.limit:
            sentences = (s for i, s in enumerate(sentences) if i < args.limit)
        silver = silver_sentences(
            sentences, lambda t: [w.text for w in tokenizer(t) if not w.is_space], tagger, args.min_probability
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    written, known = 0, 0.0
    with open(args.out, "w", encoding="utf-8") as out:
        for sentence in silver:
            out.write(json.dumps({"tokens": sentence.tokens, "tags": sentence.tags}, ensure_ascii=False) + "\n")
            written += 1
            known += sum(tag != UNKNOWN for tag in sentence.tags) / max(len(sentence.tags), 1)
            if written % 2000 == 0:
                print(f"{written:,} sentences", file=sys.stderr, flush=True)
    args.out.with_name(args.out.name + ".source").write_text(args.source + "\n", encoding="utf-8")
    print(f"{written:,} silver sentences ({known / max(written, 1):.1%} of words labelled) in {args.out}")


if __name__ == "__main__":
    main()
