"""German NER corpora in ../shared/data as gold sentences in textlake's labels (PER, LOC, ORG, MISC).

Each corpus is described by data (`CORPORA`): where it lies, its licence, whether the shipped model may
train on it, how its tags map to textlake's labels, and which labels it annotates at all. A label a corpus
does not annotate is *unknown* for it, not O: a capitalised word outside its entities may be a MISC
("Bundesliga", "iPhone") that the corpus never marks, so it gets the empty tag (spaCy's "missing") and
teaches the network nothing either way; lower-case words and punctuation stay O.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from textlake.training.ner.germeval import GoldSentence, read_germeval

UNKNOWN = ""  # a token whose label the corpus does not tell (spaCy: missing annotation)
LABELS = frozenset({"PER", "LOC", "ORG", "MISC"})
NO_MISC = frozenset({"PER", "LOC", "ORG"})

# DFKI SmartData and MobIE share a fine-grained scheme. Routes ("A 9", "S1") are LOC in some guidelines and
# not in others, so they are unknown; dates, numbers, triggers and positions are not named entities (O).
DFKI_LABELS = {
    "person": "PER",
    "organization": "ORG",
    "organization-company": "ORG",
    "location": "LOC",
    "location-city": "LOC",
    "location-street": "LOC",
    "location-stop": "LOC",
    "location-route": UNKNOWN,
}
PLAIN_LABELS = {label: label for label in LABELS}


@dataclass(frozen=True)
class Corpus:
    name: str
    path: str  # under ../shared/data
    licence: str
    shipped: bool  # may the model textlake ships train on it
    annotates: frozenset[str]  # the labels it marks; the others are unknown outside its entities
    read: Callable[[Path], Iterator[GoldSentence]]


def _with_unknown(sentence: GoldSentence, annotates: frozenset[str]) -> GoldSentence:
    """Tags outside entities become unknown on capitalised words when the corpus leaves a label unmarked.
    An I- tag that continues no entity of its label (IOB1 files, a mapped-away label before it) begins one."""
    tokens, tags = sentence.tokens, sentence.tags
    tags = [
        "B-" + tag[2:] if tag.startswith("I-") and (i == 0 or tags[i - 1][2:] != tag[2:]) else tag
        for i, tag in enumerate(tags)
    ]
    if annotates != LABELS:
        tags = [UNKNOWN if tag == "O" and token[:1].isupper() else tag for token, tag in zip(tokens, tags, strict=True)]
    return GoldSentence(tokens, tags)


def _mapped(tag: str, labels: dict[str, str]) -> str:
    if tag in ("O", "") or "-" not in tag:
        return "O"
    prefix, label = tag.split("-", 1)
    mapped = labels.get(label, "O")
    return mapped if mapped in ("O", UNKNOWN) else f"{prefix}-{mapped}"


def read_columns(
    lines: Iterable[str], token_column: int, tag_column: int, labels: dict[str, str], repair: Callable[[str], str] = str
) -> Iterator[tuple[list[str], list[str]]]:
    """CoNLL-style columns, a blank line between sentences; `#` comments and -DOCSTART- lines skipped."""
    tokens: list[str] = []
    tags: list[str] = []
    for line in lines:
        fields = line.rstrip("\n").split("\t" if "\t" in line else " ")
        if line.startswith("# ") or "-DOCSTART-" in line:  # a comment ("#Bahn" is a hashtag token)
            continue
        if not line.strip():
            if tokens:
                yield tokens, tags
            tokens, tags = [], []
            continue
        tokens.append(repair(fields[token_column]))
        tags.append(_mapped(fields[tag_column], labels))
    if tokens:
        yield tokens, tags


def _column_reader(
    token_column: int,
    tag_column: int,
    labels: dict[str, str],
    repair: Callable[[str], str] = str,
) -> Callable[[Path], Iterator[GoldSentence]]:
    def read(path: Path) -> Iterator[GoldSentence]:
        files = sorted(path.glob("*")) if path.is_dir() else [path]
        for file in files:
            with open(file, encoding="utf-8") as lines:
                for tokens, tags in read_columns(lines, token_column, tag_column, labels, repair):
                    yield GoldSentence(tokens, tags)

    return read


# Marks the copy holds for ß and capital umlauts that the cp1251 round trip does not restore.
_STILL_WRONG = str.maketrans({"ÿ": "ß", "я": "ß", "¹": "Ü", "ƒ": "Ä", "÷": "Ö"})


def repair_umlauts(token: str) -> str:
    """This copy of CoNLL-2003 German was decoded as cp1251 where it was latin-1 ("Erzдhlung")."""
    return "".join(_latin1(character) for character in token).translate(_STILL_WRONG)


def _latin1(character: str) -> str:
    try:
        return character.encode("cp1251").decode("latin-1")
    except UnicodeError:
        return character


def read_mobie(path: Path) -> Iterator[GoldSentence]:
    with zipfile.ZipFile(path) as archive:
        for member in ("train.conll2003", "dev.conll2003", "test.conll2003"):
            lines = io.TextIOWrapper(archive.open(member), encoding="utf-8")
            for tokens, tags in read_columns(lines, 0, 3, DFKI_LABELS):
                yield GoldSentence(tokens, tags)


def read_europeana(path: Path, longest: int = 60) -> Iterator[GoldSentence]:
    """Token-per-line OCR with no sentence breaks: cut after . ! ? before a capitalised word, and at
    `longest` tokens outside an entity."""
    for file in sorted(path.glob("*.bio")):
        tokens: list[str] = []
        tags: list[str] = []
        for line in file.read_text(encoding="utf-8").splitlines():
            fields = line.split()
            if line.startswith("# ") or len(fields) != 2:
                continue
            token, tag = fields
            ends = tokens and (tokens[-1] in (".", "!", "?") and token[:1].isupper() or len(tokens) >= longest)
            if ends and not tag.startswith("I-"):
                yield GoldSentence(tokens, tags)
                tokens, tags = [], []
            tokens.append(token)
            tags.append(_mapped(tag, PLAIN_LABELS))
        if tokens:
            yield GoldSentence(tokens, tags)


def _json_records(text: str) -> Iterator[dict]:  # type: ignore[type-arg]
    """SmartData stores pretty-printed JSON objects one after another, not JSON lines."""
    decoder = json.JSONDecoder()
    at = 0
    while (match := re.compile(r"\S").search(text, at)) is not None:
        record, at = decoder.raw_decode(text, match.start())
        yield record


def read_smartdata(path: Path) -> Iterator[GoldSentence]:
    """Documents with entity character offsets → sentences (textlake's segmenter) of spaCy tokens."""
    import spacy

    from textlake.nlp.segment import segment_sentences

    tokenizer = spacy.blank("de").tokenizer
    for file in sorted(path.glob("*.json.gz")):
        for record in _json_records(gzip.decompress(file.read_bytes()).decode("utf-8")):
            text = record["text"]["string"]
            mentions = [
                (m["span"]["start"], m["span"]["end"], DFKI_LABELS.get(m["type"], "O"))
                for m in (record.get("conceptMentions") or {}).get("array", [])
            ]
            for sentence in segment_sentences(text):
                doc = tokenizer(text[sentence.start : sentence.end])
                tags = ["O"] * len(doc)
                for start, end, label in mentions:
                    if label == "O" or start < sentence.start or end > sentence.end:
                        continue
                    span = doc.char_span(start - sentence.start, end - sentence.start, alignment_mode="expand")
                    if span is None or any(tag != "O" for tag in tags[span.start : span.end]):
                        continue
                    for i in range(span.start, span.end):
                        tags[i] = UNKNOWN if label == UNKNOWN else ("B-" if i == span.start else "I-") + label
                words = [token.text for token in doc]
                if any(not word.isspace() for word in words):
                    yield GoldSentence(words, tags)


CORPORA = {
    corpus.name: corpus
    for corpus in (
        Corpus("germeval", "germeval2014/train.tsv", "CC BY 4.0", True, LABELS, read_germeval),
        Corpus("smartdata", "ner/smartdata", "CC BY 4.0", True, NO_MISC, read_smartdata),
        Corpus("mobie", "ner/mobie/ner_conll03_formatted.zip", "CC BY 4.0", True, NO_MISC, read_mobie),
        Corpus("europeana", "ner/europeana", "CC0", True, NO_MISC, read_europeana),
        Corpus(
            "conll2003", "ner/conll2003-de/train.conllu", "ECI corpus terms (not open)", False, LABELS,
            _column_reader(1, 2, PLAIN_LABELS, repair_umlauts),
        ),
        Corpus(
            "wikineural", "ner/wikineural-de", "CC BY-NC-SA 4.0", False, LABELS,
            _column_reader(1, 2, PLAIN_LABELS),
        ),
    )
}  # fmt: skip


def read_corpus(name: str, data: Path) -> Iterator[GoldSentence]:
    """A corpus's sentences in textlake's labels, unknown where it marks no label of the kind."""
    corpus = CORPORA[name]
    return (_with_unknown(sentence, corpus.annotates) for sentence in corpus.read(data / corpus.path))


def read_uner(path: Path) -> Iterator[GoldSentence]:
    """Universal NER (CoNLL-U-like: `# text` comments, index, token, BIO tag): PER, LOC and ORG only."""
    with open(path, encoding="utf-8") as lines:
        for tokens, tags in read_columns(lines, 1, 2, PLAIN_LABELS):
            yield GoldSentence(tokens, tags)


# Silver sentences (textlake/training/ner_silver.py): the teacher's sure tags, unknown elsewhere ---------------


@dataclass(frozen=True)
class SilverSource:
    source: str  # the raw text it tagged: "wikinews", "10kgnad"
    licence: str  # of that text
    shipped: bool  # may the model textlake ships train on it


SILVER_SOURCES = {
    "wikinews": SilverSource("wikinews", "CC BY 2.5 (German Wikinews texts)", True),
    "10kgnad": SilverSource("10kgnad", "CC BY-NC-SA 4.0 (10kGNAD)", False),
    # SmartData, MobIE and Europeana as they are, with the teacher's sure tags where they mark nothing
    "filled": SilverSource("filled", "CC BY 4.0 (SmartData, MobIE); CC0 (Europeana)", True),
}


def silver_source(path: Path) -> SilverSource:
    """What a silver file was tagged from, as its sidecar `<file>.source` names it."""
    return SILVER_SOURCES[path.with_name(path.name + ".source").read_text(encoding="utf-8").strip()]


def read_silver(path: Path) -> Iterator[GoldSentence]:
    """One JSON object per line: {"tokens": [...], "tags": [...]}, an empty tag where the teacher was unsure."""
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            yield GoldSentence(record["tokens"], record["tags"])
