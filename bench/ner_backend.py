"""The opt-in transformer NER backend against the shipped model, run by hand (never in CI).

    python bench/ner_backend.py --n 1000

Builds a 10kGNAD corpus of n articles (../shared/tools/make_corpus.py; past 1,028 the articles repeat,
each with a closing sentence naming the copy, as in `bench/throughput.py`), then runs `textlake run` on it
into empty data dirs, once with the shipped model (`--ner-model default`, the baseline) and once with
`--ner-model transformer` (`--models` picks), and prints one JSON line:
each run's wall seconds, peak RSS of the whole process tree (the run, its language workers and Prefect's
API when the run starts one), words per second, and the transformer's time as a ratio to the baseline's.
Set PREFECT_API_URL to a running server to leave Prefect's start-up out of both.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import REPO, make_repeats_distinct, run_measured  # noqa: E402

BIN = Path(sys.executable).parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="documents in the corpus")
    parser.add_argument(
        "--models", default="default,transformer", help="which runs, comma-separated (the ratio needs both)"
    )
    parser.add_argument("--work", type=Path, help="folder for corpus and data dirs (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        work = args.work or Path(scratch)
        corpus = work / "corpus"
        if not corpus.is_dir():
            subprocess.run(
                [sys.executable, str(REPO.parent / "shared" / "tools" / "make_corpus.py"), "--source", "10kgnad", "--n", str(args.n),
                 "--out", str(corpus)],
                check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
            make_repeats_distinct(corpus)  # past 1,028 articles: else each repeat is a duplicate, its NLP skipped
        words = sum(len(path.read_text(encoding="utf-8").split()) for path in corpus.glob("*.txt"))
        figures: dict[str, object] = {"docs": args.n, "words": words}
        for model in args.models.split(","):
            data = work / f"data-{model}"
            shutil.rmtree(data, ignore_errors=True)
            command = [str(BIN / "textlake"), "run", str(corpus), "--data-dir", str(data), "--ner-model", model]
            wall, peak_rss, _ = run_measured(command, dict(os.environ))
            figures[model] = {
                "wall_s": round(wall, 1),
                "peak_rss_mb": round(peak_rss),
                "words_per_s": round(words / wall),
            }
        if "default" in figures and "transformer" in figures:
            figures["transformer_time_ratio"] = round(
                figures["transformer"]["wall_s"] / figures["default"]["wall_s"],
                2,  # type: ignore[index]
            )
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
