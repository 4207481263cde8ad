"""Long documents, run by hand (never in CI): does every stage cost time in proportion to a document's length?

    python bench/long_documents.py                       # stages at 0.25-4 MB, end to end at 1 and 10 MB
    python bench/long_documents.py --sizes 1,2,12 --end-to-end 1,12

Builds one text file per size from the 10kGNAD articles (../shared/tools/make_corpus.py), joined with blank
lines and repeated past the corpus's 2.7 MB (each repeat's articles end with a sentence naming the copy),
then in one command:
1. each stage in this process on one document of each size: sentences, entities (NER), the names repeated
   where the model left them untagged, canonical names, quotations, the Arrow tables, the staged Parquet,
   the checks and the load (with the search index); per stage its CPU seconds (this process's, its threads'
   included: wall-clock seconds on a shared machine say more about the neighbours) and `per_byte`: its
   seconds per byte against those of the smallest size (1.0: linear; 2.0: twice the cost per byte);
2. `textlake run` (two workers, Prefect's temporary API) of one file of each `--end-to-end` size, and of
   the same text cut into 100 files at article boundaries: wall-clock `one_file_s`, `hundred_files_s` and
   their ratio (the goal: ≤ 1.2 at 10 MB), the CPU seconds of the whole process tree of each (`_cpu_s`),
   `per_byte` of the one file against the smallest, peak RSS of the process tree (the goal: ≤ 2 GB).
Prints one JSON line. `--repo DIR` measures another checkout's code (its textlake and flows) with this
checkout's virtualenv, e.g. the code before a change.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MAKE_CORPUS = REPO.parent / "shared" / "tools" / "make_corpus.py"
sys.path.insert(0, str(HERE))
from throughput import run_measured  # noqa: E402 — the peak RSS and CPU of a command's process tree


def articles(work: Path) -> list[str]:
    folder = work / "articles"
    if not folder.exists():
        command = [sys.executable, str(MAKE_CORPUS), "--source", "10kgnad", "--out", str(folder)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return [path.read_text(encoding="utf-8").strip() for path in sorted(folder.glob("*.txt"))]


def long_text_articles(texts: list[str], n_bytes: int) -> list[str]:
    """Articles in corpus order up to `n_bytes` of UTF-8 (joined with blank lines), repeated as needed;
    a repeat's articles end with a sentence naming the copy."""
    taken: list[str] = []
    size, copy = 0, 0
    while size < n_bytes:
        for text in texts:
            text = f"{text} Dies ist die Kopie {copy} im Benchmark." if copy else text
            taken.append(text)
            size += len(text.encode()) + 2
            if size >= n_bytes:
                break
        copy += 1
    return taken


def megabytes(sizes: str) -> list[float]:
    return [float(size) for size in sizes.split(",") if size]


@contextlib.contextmanager
def timed_functions(module: object, names: tuple[str, ...], seconds: Counter[str]) -> Iterator[None]:
    """Each named function of `module` timed into `seconds` while inside."""
    originals = {name: getattr(module, name) for name in names}

    def timing(name: str, function: Callable[..., object]) -> Callable[..., object]:
        def timed(*args: object, **kwargs: object) -> object:
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[name] += time.process_time() - start

        return timed

    for name, function in originals.items():
        setattr(module, name, timing(name, function))
    try:
        yield
    finally:
        for name, function in originals.items():
            setattr(module, name, function)


def stage_seconds(text: str, work: Path) -> dict[str, float]:
    """Each stage's CPU seconds on one document of `text`, in this process."""
    analyse = importlib.import_module("textlake.nlp.analyse")
    from textlake.ingest.known import FileState
    from textlake.ingest.prepare import Appearance, PreparedDocument, document_id
    from textlake.lake import tables
    from textlake.lake.staging import StagedRun
    from textlake.nlp.places import load_places
    from textlake.nlp.workers import recognizer_for
    from textlake.quality.checks import Validator, run_checks
    from textlake.settings import Settings
    from textlake.warehouse.load import load_run

    settings = Settings(data_dir=work / "data")
    subprocess.run(["rm", "-rf", str(settings.data_dir)], check=True)
    settings.data_dir.mkdir(parents=True)
    recognizer = recognizer_for(settings)
    n_bytes = len(text.encode())
    document = PreparedDocument(
        document_id(text), str(work / "long.txt"), "0" * 64, n_bytes, "utf-8", None, None, None, "de", 1.0, text
    )
    seconds: Counter[str] = Counter()
    wrapped = ("segment_sentences", "_repeat_mentions", "canonical_names", "find_quotations")
    with timed_functions(analyse, wrapped, seconds), timed_functions(recognizer, ("recognise",), seconds):
        started = time.process_time()
        [analysed] = analyse.analyse_documents([document], recognizer)
        seconds["analyse"] = time.process_time() - started
    stages = {
        "sentences": seconds["segment_sentences"],
        "entities": seconds["recognise"],
        "repeated_names": seconds["_repeat_mentions"],
        "canonical_names": seconds["canonical_names"],
        "quotations": seconds["find_quotations"],
    }
    stages["rest_of_analyse"] = seconds["analyse"] - sum(stages.values())
    run_id, now = "bench", dt.datetime.now(dt.UTC)
    started = time.process_time()
    rows = {
        "documents": tables.documents_table([analysed], run_id, now),
        "appearances": tables.appearances_table([Appearance.of(document, is_copy=False)], run_id, now),
        "sentences": tables.sentences_table([analysed]),
        "entities": tables.entities_table([analysed]),
        "quotes": tables.quotes_table([analysed]),
        "file_state": tables.file_state_table(
            [(document.source_path, FileState(n_bytes, 0, document.source_sha256))], run_id
        ),
        "rejects": tables.rejects_table([], run_id, now),
    }
    places = {e.canonical for e in analysed.entities if e.label == "LOC"}
    rows["places"] = tables.places_table(places, run_id, load_places(places))
    stages["tables"] = time.process_time() - started
    started = time.process_time()
    staging = StagedRun(settings.staging_dir, run_id)
    for table, table_rows in rows.items():
        staging.append(table, table_rows)
    staged = staging.close()
    stages["parquet"] = time.process_time() - started
    started = time.process_time()
    report = run_checks(staged, settings, Validator())
    stages["checks"] = time.process_time() - started
    started = time.process_time()
    load_run(settings.warehouse_path, staged, settings.load_wait_s, settings.duckdb_memory_limit)
    stages["load"] = time.process_time() - started
    stages["total"] = sum(stages.values())
    blocking = [r.describe() for r in report.blocking]
    if blocking:
        sys.exit(f"the checks failed on the {n_bytes:,}-byte document: {blocking[:3]}")
    return stages


def end_to_end(pieces: list[str], work: Path, name: str) -> dict[str, float]:
    """`textlake run` (two workers) of the text as one file and as 100 files: seconds and peak RSS."""
    figures: dict[str, float] = {}
    for files in (1, 100):
        folder = work / f"{name}_{files}"
        subprocess.run(["rm", "-rf", str(folder)], check=True)
        (folder / "in").mkdir(parents=True)
        per_file = -(-len(pieces) // files)
        for number in range(files):
            part = pieces[number * per_file : (number + 1) * per_file]
            if part:
                (folder / "in" / f"{number:03d}.txt").write_text("\n\n".join(part), encoding="utf-8")
        command = [sys.executable, "-m", "flows.cli", "run", str(folder / "in"), "--data-dir", str(folder / "data")]
        env = {**os.environ, "TEXTLAKE_WORKERS": "2", "PYTHONPATH": str(REPO)}
        seconds, peak_mb, cpu_by_role = run_measured(command, env)
        key = "one_file" if files == 1 else "hundred_files"
        figures[f"{key}_s"] = round(seconds, 1)
        figures[f"{key}_cpu_s"] = round(sum(cpu_by_role.values()), 1)
        figures[f"{key}_peak_rss_mb"] = round(peak_mb)
    figures["one_file_over_hundred_files"] = round(figures["one_file_s"] / figures["hundred_files_s"], 3)
    return figures


def main() -> None:
    global REPO
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="0.25,0.5,1,2,4", help="MB of text per document, stages in one process")
    parser.add_argument("--end-to-end", default="1,10", help="MB of text, `textlake run` as one file and 100 files")
    parser.add_argument("--work", type=Path, help="folder for inputs and data dirs (default: a temporary one)")
    parser.add_argument("--repo", type=Path, help="measure this checkout's code instead (its textlake and flows)")
    args = parser.parse_args()
    if not MAKE_CORPUS.exists():
        sys.exit(f"needs ../shared beside the checkout ({MAKE_CORPUS} is absent)")
    REPO = (args.repo or REPO).resolve()
    sys.path.insert(0, str(REPO))
    work = args.work or Path(tempfile.mkdtemp(prefix="textlake-long-"))
    texts = articles(work)
    result: dict[str, object] = {"code": str(REPO)}
    stages: dict[float, dict[str, float]] = {}
    if args.sizes:  # once first, unreported: the model's load and Great Expectations' import
        stage_seconds("\n\n".join(long_text_articles(texts, 20_000)), work)
    for size in megabytes(args.sizes):
        stages[size] = stage_seconds("\n\n".join(long_text_articles(texts, int(size * 1e6))), work)
        print(f"{size} MB: {json.dumps({k: round(v, 2) for k, v in stages[size].items()})}", file=sys.stderr)
    if stages:
        base = min(stages)
        result["stages"] = {
            str(size): {
                stage: {"s": round(s, 2), "per_byte": round(s / stages[base][stage] * base / size, 2)}
                if stages[base][stage] > 0.005
                else {"s": round(s, 3)}
                for stage, s in figures.items()
            }
            for size, figures in stages.items()
        }
    runs: dict[float, dict[str, float]] = {}
    for size in megabytes(args.end_to_end):
        runs[size] = end_to_end(long_text_articles(texts, int(size * 1e6)), work, f"run{size}")
        print(f"{size} MB end to end: {json.dumps(runs[size])}", file=sys.stderr)
    if runs:
        base = min(runs)
        for size, figures in runs.items():
            figures["per_byte"] = round(figures["one_file_s"] / runs[base]["one_file_s"] * base / size, 2)
        result["end_to_end"] = {str(size): figures for size, figures in runs.items()}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
