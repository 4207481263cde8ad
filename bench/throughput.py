"""Throughput benchmark, run by hand (never in CI): the pipeline against the bare NLP it wraps.

    python bench/throughput.py --n 10000
    python bench/throughput.py --format warc --n 228     # reading and parsing against the language stage

Builds a corpus with ../shared/tools/make_corpus.py --source 10kgnad (the 1,028 articles repeat under new
names past n = 1,028: say so when you report; each repeat gets one closing sentence naming the copy, since
textlake would otherwise reject it as a duplicate and do no NLP on it), then in one command measures
1. the bare NLP baseline: the same segmenter and NER model over the same texts, in a plain loop (in one
   process, and in as many processes as the pipeline uses), no Prefect, no checks, no writing;
   The language stage includes the quotation rules (`quote_share`: their part of it, timed in one process
   on up to 1,000 of the documents);
2. the plain script a user would write instead (`script_s`): the same model through spaCy's
   `nlp.pipe(n_process=workers)` with the sentencizer over whole documents, sentences and entities into
   Parquet with pyarrow and `CREATE TABLE … AS SELECT * FROM read_parquet(…)` in DuckDB; no checks, no
   dedup, no crash safety, no quotations;
3. the full pipeline (`textlake run`) into an empty data dir;
4. a no-op rerun on the same input;
5. one new file into the warehouse just built (`incremental_s`) and the same file into an empty data dir
   (`incremental_empty_s`), each twice, alternating: a scheduled run's cost should be set by its new data,
   not by the warehouse;
6. the corpus as one JSON Lines file (`jsonl_pipeline_s`, into a data dir of its own), then one record
   appended to that file and the file run again (`append_s`), and a JSON Lines file of that one record into
   an empty data dir (`append_empty_s`), each twice, alternating: the append costs what one new record
   costs (`append_ratio`); `--append-only` measures this alone;
and prints one JSON line with docs, words, baseline_s, script_s, pipeline_s, overhead_ratio, script_ratio,
words_per_s, noop_s, noop_ratio, incremental_s, incremental_empty_s, incremental_ratio, jsonl_pipeline_s,
append_s, append_empty_s, append_ratio, peak_rss_mb (whole
process tree) and each stage's share of the pipeline's time; and the CPU seconds of the baseline and of the
pipeline (`cpu_ratio`: the part of the overhead that is work, not waiting; the pipeline's by process: its
own, its language workers', Prefect's API's).

With `--format jsonl|html|warc` it measures instead, in one process, what reading and parsing the input in
that format costs against the language stage on the documents it gives (`read_share` = read_s / language_s;
goals: <= 0.05 for JSON Lines, <= 0.35 for HTML and WARC): jsonl is the 10kGNAD corpus as one JSON Lines file
(title and date in fields); html is n pages from ../shared/data/html/pages (real news pages, 328 KB of HTML
each on average; the 76 repeat past n = 76) as .html.gz files; warc is the same pages as responses in one
.warc.gz. `read_s` is the record reader (decompressing, parsing, extracting the main text), `prepare_s` what
a run does next with each record before the language stage (normalising, identifying the language),
`language_s` the language stage (segmenter, NER, quotation rules) in one process, as `single_process_s`
measures it. `prepare_share` is prepare_s / language_s (the same for every format: a .txt file's text is
prepared too); the `_cpu` figures are the same in CPU seconds (steadier on a busy machine).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAKE_CORPUS = REPO.parent / "shared" / "tools" / "make_corpus.py"
TEXTLAKE = REPO / ".venv" / "bin" / "textlake"


def tree_pids(root_pid: int) -> list[int]:
    """A process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                children.setdefault(int(stat.read().rsplit(")", 1)[1].split()[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    found, stack = [], [root_pid]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def _process_state(pid: int, known_command: str) -> tuple[int, float, str]:
    """Resident bytes and CPU seconds (user + system) of a process, from one read of /proc/PID/stat, and its
    command line (an exiting process's reads empty: then the one known from earlier)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
        command = cmdline.read().replace(b"\0", b" ").decode(errors="replace") or known_command
    rss = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    return rss, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), command


def _role(pid: int, root_pid: int, command: str) -> str:
    if pid == root_pid:
        return "run"
    if "uvicorn" in command:
        return "prefect_api"
    if "spawn_main" in command:
        return "language_workers"
    return "other"


def children_cpu_s() -> float:
    """CPU seconds of every child process this process has waited for, theirs included."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_measured(command: list[str], env: dict | None = None) -> tuple[float, float, dict[str, float]]:
    """Wall seconds, peak tree RSS (MB) and CPU seconds by role (the run's process, its language workers,
    Prefect's API) of a command, from /proc every 0.25 s (a process's last 0.25 s before it exits may be
    missed: the total from getrusage is exact)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak = 0.0
    cpu_by_pid: dict[int, tuple[float, str]] = {}
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            rss = 0
            for pid in tree_pids(process.pid):
                try:
                    pid_rss, cpu, command = _process_state(pid, cpu_by_pid.get(pid, (0.0, ""))[1])
                except (OSError, IndexError, ValueError):
                    continue
                rss += pid_rss
                cpu_by_pid[pid] = (cpu, command)
            peak = max(peak, rss / 2**20)
            stop.wait(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    stop.set()
    sampler.join()
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{stderr.decode()[-3000:]}")
    by_role: dict[str, float] = {}
    for pid, (cpu, cmd) in cpu_by_pid.items():
        role = _role(pid, process.pid, cmd)
        by_role[role] = by_role.get(role, 0.0) + cpu
    return time.perf_counter() - start, peak, by_role


def make_repeats_distinct(corpus: Path) -> int:
    """make_corpus repeats the 1,028 articles past n = 1,028 (files NNNNNN_rK_<id>.txt); textlake would
    reject each repeat as a duplicate and skip its NLP. One closing sentence naming the copy makes every
    file a document of its own, for the baseline and the pipeline alike."""
    changed = 0
    for path in sorted(corpus.glob("*_r*_*.txt")):
        if path.name.split("_")[1] == "r0":  # the first copy stays as the source has it
            continue
        with path.open("a", encoding="utf-8") as file:
            file.write(f"\n\nDies ist die Kopie {path.name.split('_')[0]} im Benchmark.\n")
        changed += 1
    return changed


def _bare_documents(corpus: Path) -> list:
    from textlake.ingest.header import parse_header
    from textlake.ingest.normalise import normalise_text
    from textlake.ingest.prepare import PreparedDocument

    texts = [parse_header(normalise_text(p.read_text(encoding="utf-8"))).body for p in sorted(corpus.glob("*.txt"))]
    return [PreparedDocument(str(i), "", "", 0, "utf-8", None, None, None, "de", 1.0, t) for i, t in enumerate(texts)]


_recognizer = None


def _load_model(in_worker: bool = False) -> None:
    """The model as the pipeline loads it: in the run's process, or in one of its worker processes."""
    global _recognizer
    from textlake.nlp.workers import recognizer_for, recognizer_in_worker
    from textlake.settings import Settings

    _recognizer = (recognizer_in_worker if in_worker else recognizer_for)(Settings())


def _analyse(documents: list) -> int:
    from textlake.nlp.analyse import analyse_documents

    return len(analyse_documents(documents, _recognizer))


def bare_nlp(documents: list, processes: int) -> tuple[float, float]:
    """Wall and CPU seconds for segmenter + NER over the documents in a plain loop, in `processes` processes
    (each loads the model once; model loading and process start are timed too)."""
    import multiprocessing

    chunks = [documents[i : i + 50] for i in range(0, len(documents), 50)]
    start, cpu_start = time.perf_counter(), time.process_time() + children_cpu_s()
    if processes == 1:
        _load_model()
        for chunk in chunks:
            _analyse(chunk)
        wall_s = time.perf_counter() - start
    else:
        with multiprocessing.get_context("spawn").Pool(processes, initializer=_load_model, initargs=(True,)) as pool:
            sum(pool.imap(_analyse, chunks))
            wall_s = time.perf_counter() - start
            pool.close()
            pool.join()  # the workers waited for, so that getrusage counts their CPU
    return wall_s, time.process_time() + children_cpu_s() - cpu_start


def quote_share(documents: list) -> float:
    """The quotation rules' share of the language stage, in one process, on up to 1,000 documents."""
    from textlake.nlp.analyse import analyse_documents
    from textlake.nlp.quotes import find_quotations

    _load_model()
    sample = documents[:1000]
    start = time.perf_counter()
    analysed = [a for i in range(0, len(sample), 50) for a in analyse_documents(sample[i : i + 50], _recognizer)]
    language_s = time.perf_counter() - start
    start = time.perf_counter()
    for a in analysed:
        find_quotations(a.document.text, a.sentences, a.entities)
    return (time.perf_counter() - start) / language_s


def plain_script(corpus: Path, out: Path, processes: int) -> float:
    """Seconds for the script a user would write instead of textlake (see the module's docstring)."""
    script = f"""
import sys, pyarrow as pa, pyarrow.parquet as pq, duckdb, spacy
sys.path.insert(0, {str(REPO)!r})
import textlake.nlp.ner.gazetteer, textlake.nlp.ner.lexicon
from pathlib import Path
from textlake.nlp.ner import DEFAULT_MODEL_DIR
if __name__ == "__main__":
    paths = sorted(Path({str(corpus)!r}).glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    nlp = spacy.load(DEFAULT_MODEL_DIR, exclude=["tagger", "parser", "lemmatizer", "morphologizer", "attribute_ruler", "senter"])
    nlp.add_pipe("sentencizer", first=True)
    sentences, entities = {{"doc": [], "text": []}}, {{"doc": [], "text": [], "label": [], "start": [], "end": []}}
    for number, doc in enumerate(nlp.pipe(texts, n_process={processes}, batch_size=50)):
        for sentence in doc.sents:
            sentences["doc"].append(number); sentences["text"].append(sentence.text)
        for ent in doc.ents:
            entities["doc"].append(number); entities["text"].append(ent.text); entities["label"].append(ent.label_)
            entities["start"].append(ent.start_char); entities["end"].append(ent.end_char)
    out = Path({str(out)!r}); out.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table({{"path": [str(p) for p in paths], "text": texts}}), out / "documents.parquet")
    pq.write_table(pa.table(sentences), out / "sentences.parquet")
    pq.write_table(pa.table(entities), out / "entities.parquet")
    with duckdb.connect(str(out / "plain.duckdb")) as con:
        for table in ("documents", "sentences", "entities"):
            con.execute(f"CREATE TABLE {{table}} AS SELECT * FROM read_parquet('{{out / table}}.parquet')")
"""
    subprocess.run(["rm", "-rf", str(out)], check=True)  # a warehouse from an earlier run of the benchmark
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", script], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def one_new_file(corpus: Path, work: Path, env: dict) -> tuple[float, float]:
    """Seconds for `textlake run` of one new file into the warehouse built from `corpus`, and of the same
    file into an empty data dir (both start Prefect's API the same way): each the mean of two runs in the
    order warehouse, empty, empty, warehouse. Whichever run comes first after the 10,000-document run is
    slower, of either kind (one sitting: 14.5 s into an empty data dir first, then 14.6, 13.4, 12.3, 12.2,
    12.9 s alternating); in this order the two kinds share that cost. Each run into the warehouse starts
    from a copy of it as built."""
    article = next(iter(sorted(corpus.glob("*.txt")))).read_text(encoding="utf-8")
    text = article + "\n\nDiese Meldung kam als einzelne neue Datei in den Benchmark.\n"
    new_file = corpus / "zz_incremental_new_file.txt"
    built = work / f"data{corpus.name.removeprefix('corpus')}"
    into_built = work / "incremental_warehouse"
    alone = work / "incremental_alone"
    seconds: dict[str, list[float]] = {"warehouse": [], "empty": []}
    try:
        for kind in ("warehouse", "empty", "empty", "warehouse"):
            data = into_built if kind == "warehouse" else alone / "data"
            subprocess.run(["rm", "-rf", str(data if kind == "warehouse" else alone)], check=True)
            if kind == "warehouse":
                subprocess.run(["cp", "-r", str(built), str(into_built)], check=True)
                new_file.write_text(text, encoding="utf-8")
                inputs = corpus
            else:
                alone.mkdir()
                (alone / new_file.name).write_text(text, encoding="utf-8")
                inputs = alone
            took, _, _ = run_measured([str(TEXTLAKE), "run", str(inputs), "--data-dir", str(data)], env)
            seconds[kind].append(took)
            new_file.unlink(missing_ok=True)
    finally:
        new_file.unlink(missing_ok=True)
    return sum(seconds["warehouse"]) / 2, sum(seconds["empty"]) / 2


def one_appended_record(corpus: Path, work: Path, env: dict) -> dict:
    """The corpus as one JSON Lines file (a crawl's export, one record an article), run into a data dir of its
    own; then what one record appended to it costs (`append_costs`)."""
    from textlake.ingest.header import parse_header
    from textlake.ingest.normalise import normalise_text

    paths = sorted(corpus.glob("*.txt"))
    export = work / f"export{corpus.name.removeprefix('corpus')}.jsonl"
    with export.open("w", encoding="utf-8") as out:
        for path in paths:
            header = parse_header(normalise_text(path.read_text(encoding="utf-8")))
            record = {"id": path.stem, "text": header.body}
            if header.published:
                record["published"] = header.published.isoformat()[: 7 if header.precision == "month" else 10]
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    built = work / f"data_jsonl{corpus.name.removeprefix('corpus')}"
    subprocess.run(["rm", "-rf", str(built)], check=True)
    jsonl_pipeline_s, _, _ = run_measured([str(TEXTLAKE), "run", str(export), "--data-dir", str(built)], env)
    article = parse_header(normalise_text(paths[0].read_text(encoding="utf-8"))).body
    return {"jsonl_pipeline_s": round(jsonl_pipeline_s, 2), **append_costs(export, built, article, work, env)}


def append_costs(export: Path, built: Path, article: str, work: Path, env: dict) -> dict:
    """Seconds for `textlake run` of the JSON Lines file `export` (which `built` holds already) with one record
    of `article` appended (the file is cut back to its first size before each such run, and the data dir
    copied afresh: every run reads the same append), and of a JSON Lines file of that one record into an empty
    data dir; each the mean of two runs in the order warehouse, empty, empty, warehouse (as `one_new_file`)."""
    first_size = export.stat().st_size
    new_record = {"id": "appended", "text": article + "\n\nDiese Meldung kam als neue Zeile in den Benchmark."}
    line = json.dumps(new_record, ensure_ascii=False) + "\n"
    into_built, alone = work / "append_warehouse", work / "append_alone"
    seconds: dict[str, list[float]] = {"warehouse": [], "empty": []}
    try:
        for kind in ("warehouse", "empty", "empty", "warehouse"):
            subprocess.run(["rm", "-rf", str(into_built), str(alone)], check=True)
            if kind == "warehouse":
                subprocess.run(["cp", "-r", str(built), str(into_built)], check=True)
                os.truncate(export, first_size)
                with export.open("a", encoding="utf-8") as crawl:
                    crawl.write(line)
                command = [str(TEXTLAKE), "run", str(export), "--data-dir", str(into_built)]
            else:
                alone.mkdir()
                (alone / "one_record.jsonl").write_text(line, encoding="utf-8")
                command = [str(TEXTLAKE), "run", str(alone / "one_record.jsonl"), "--data-dir", str(alone / "data")]
            took, _, _ = run_measured(command + ["--summary-json", str(work / "append_summary.json")], env)
            summary = json.loads((work / "append_summary.json").read_text())
            if summary.get("documents_new") != 1:  # the measure is of one new record, and nothing else
                sys.exit(f"{' '.join(command)}: expected 1 new document, got {summary}")
            seconds[kind].append(took)
    finally:
        os.truncate(export, first_size)
    append_s, append_empty_s = sum(seconds["warehouse"]) / 2, sum(seconds["empty"]) / 2
    return {
        "append_s": round(append_s, 2),
        "append_empty_s": round(append_empty_s, 2),
        "append_ratio": round(append_s / append_empty_s, 3),
        "append_runs_s": {kind: [round(t, 2) for t in times] for kind, times in seconds.items()},
    }


SHARED_PAGES = REPO.parent / "shared" / "data" / "html" / "pages"


def write_format_input(fmt: str, corpus: Path, n: int, out: Path) -> list[Path]:
    """The input files of `fmt` (see the module's docstring), written under `out`."""
    import gzip
    import io

    out.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        from textlake.ingest.header import parse_header
        from textlake.ingest.normalise import normalise_text

        path = out / "corpus.jsonl"
        with path.open("w", encoding="utf-8") as file:
            for number, article in enumerate(sorted(corpus.glob("*.txt"))):
                header = parse_header(normalise_text(article.read_text(encoding="utf-8")))
                date = header.published.isoformat() if header.published else None
                record = {"title": f"Artikel {number}", "published": date, "text": header.body}
                file.write(json.dumps(record, ensure_ascii=False) + "\n")
        return [path]
    pages = sorted(SHARED_PAGES.glob("*.html.gz"))
    if not pages:
        sys.exit(f"--format {fmt} needs ../shared/data/html/pages ({SHARED_PAGES} is absent)")
    chosen = [pages[i % len(pages)] for i in range(n)]
    if fmt == "html":
        paths = []
        for number, page in enumerate(chosen):
            paths.append(out / f"{number:06d}_{page.name}")
            paths[-1].write_bytes(page.read_bytes())
        return paths
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = out / "pages.warc.gz"
    with path.open("wb") as file:
        writer = WARCWriter(file, gzip=True)
        for number, page in enumerate(chosen):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            url = f"https://example.org/{number}/{page.name.removesuffix('.html.gz')}"
            payload = io.BytesIO(gzip.decompress(page.read_bytes()))
            writer.write_record(writer.create_warc_record(url, "response", payload=payload, http_headers=headers))
    return [path]


def reading_share(fmt: str, paths: list[Path]) -> dict:
    """Seconds to read and prepare the files' records, and of the language stage on the documents, one process."""
    from textlake.ingest.prepare import PreparedDocument, prepare_record
    from textlake.ingest.records import SkippedRecords, SourceRecord, read_record_file

    _load_model()
    _analyse([PreparedDocument("w", "", "", 0, "utf-8", None, None, None, "de", 1.0, "Ein Satz zum Aufwärmen.")])
    read_s = prepare_s = read_cpu_s = prepare_cpu_s = 0.0
    documents, rejected = [], 0
    for path in paths:
        start, cpu = time.perf_counter(), time.process_time()
        records = list(read_record_file(path))
        read_s, read_cpu_s = read_s + time.perf_counter() - start, read_cpu_s + time.process_time() - cpu
        start, cpu = time.perf_counter(), time.process_time()
        for item in records:
            prepared = prepare_record(item, str(path), "") if isinstance(item, SourceRecord) else None
            if isinstance(prepared, PreparedDocument):
                documents.append(prepared)
            elif not isinstance(item, SkippedRecords):
                rejected += 1
        prepare_s, prepare_cpu_s = prepare_s + time.perf_counter() - start, prepare_cpu_s + time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(documents), 50):
        _analyse(documents[i : i + 50])
    language_s, language_cpu_s = time.perf_counter() - start, time.process_time() - cpu
    docs = max(len(documents), 1)
    return {
        "format": fmt,
        "files": len(paths),
        "input_mb": round(sum(p.stat().st_size for p in paths) / 2**20, 1),
        "docs": len(documents),
        "rejected": rejected,
        "words": sum(len(d.text.split()) for d in documents),
        "read_s": round(read_s, 2),
        "prepare_s": round(prepare_s, 2),
        "language_s": round(language_s, 2),
        "read_ms_per_doc": round(read_s / docs * 1000, 1),
        "prepare_ms_per_doc": round(prepare_s / docs * 1000, 1),
        "language_ms_per_doc": round(language_s / docs * 1000, 1),
        "read_cpu_ms_per_doc": round(read_cpu_s / docs * 1000, 1),
        "language_cpu_ms_per_doc": round(language_cpu_s / docs * 1000, 1),
        "read_share": round(read_s / language_s, 3) if language_s else None,
        "read_share_cpu": round(read_cpu_s / language_cpu_s, 3) if language_cpu_s else None,
        "prepare_share": round(prepare_s / language_s, 3) if language_s else None,
        "prepare_share_cpu": round(prepare_cpu_s / language_cpu_s, 3) if language_cpu_s else None,
    }


def _round(value: float | None, digits: int | None = None) -> float | None:
    return None if value is None else round(value, digits)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="documents in the corpus")
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="processes, for both sides")
    parser.add_argument(
        "--skip-baselines",
        action="store_true",
        help="pipeline and no-op only (for memory and cost per document at large n)",
    )
    parser.add_argument("--work", type=Path, help="folder for corpus and data dir (default: a temporary one)")
    parser.add_argument(
        "--append-only", action="store_true", help="only the appended JSON Lines file (item 6 above): its JSON"
    )
    parser.add_argument(
        "--format",
        choices=["jsonl", "html", "warc"],
        help="measure reading and parsing this input format against the language stage instead (see above)",
    )
    args = parser.parse_args()
    if not MAKE_CORPUS.exists():
        sys.exit(f"needs ../shared beside the checkout ({MAKE_CORPUS} is absent)")
    work = args.work or Path(tempfile.mkdtemp(prefix="textlake-bench-"))
    corpus, data = work / f"corpus{args.n}", work / f"data{args.n}"
    if not corpus.exists():
        subprocess.run(
            [sys.executable, str(MAKE_CORPUS), "--source", "10kgnad", "--n", str(args.n), "--out", str(corpus)],
            check=True,
        )
        make_repeats_distinct(corpus)
    subprocess.run(["rm", "-rf", str(data)], check=True)

    sys.path.insert(0, str(REPO))
    env = {**os.environ, "TEXTLAKE_WORKERS": str(args.workers)}
    if args.append_only:
        print(json.dumps({"docs": len(list(corpus.glob("*.txt"))), **one_appended_record(corpus, work, env)}))
        return
    if args.format:
        paths = write_format_input(args.format, corpus, args.n, work / f"{args.format}{args.n}")
        print(json.dumps(reading_share(args.format, paths)))
        return
    documents = _bare_documents(corpus)
    docs, words = len(documents), sum(len(d.text.split()) for d in documents)
    single_s, _ = (None, None) if args.skip_baselines else bare_nlp(documents, 1)
    baseline_s, baseline_cpu_s = (None, None) if args.skip_baselines else bare_nlp(documents, args.workers)
    quotes_share = None if args.skip_baselines else quote_share(documents)
    del documents
    script_s = None if args.skip_baselines else plain_script(corpus, work / "plain_script", args.workers)
    summary_path = work / "summary.json"
    command = [str(TEXTLAKE), "run", str(corpus), "--data-dir", str(data), "--summary-json", str(summary_path)]
    cpu_before = children_cpu_s()
    pipeline_s, peak_rss, pipeline_cpu_by_role = run_measured(command, env)
    pipeline_cpu_s = children_cpu_s() - cpu_before
    stages = json.loads(summary_path.read_text())["stage_seconds"]
    noop_s, _, _ = run_measured(command, env)
    incremental_s, incremental_empty_s = one_new_file(corpus, work, env)
    appended = one_appended_record(corpus, work, env)
    print(
        json.dumps(
            {
                "docs": docs,
                "words": words,
                "repeated_articles": docs > 1028,
                "workers": args.workers,
                "single_process_s": _round(single_s, 2),
                "baseline_s": _round(baseline_s, 2),
                "script_s": _round(script_s, 2),
                "pipeline_s": round(pipeline_s, 2),
                "overhead_ratio": _round(baseline_s and pipeline_s / baseline_s, 3),
                "script_ratio": _round(script_s and pipeline_s / script_s, 3),
                "baseline_cpu_s": _round(baseline_cpu_s, 1),
                "pipeline_cpu_s": round(pipeline_cpu_s, 1),
                "cpu_ratio": _round(baseline_cpu_s and pipeline_cpu_s / baseline_cpu_s, 3),
                "pipeline_cpu_by_process": {k: round(v, 1) for k, v in sorted(pipeline_cpu_by_role.items())},
                "quote_share": _round(quotes_share, 3),
                "words_per_s": round(words / pipeline_s),
                "seconds_per_1000_docs": round(pipeline_s / docs * 1000, 2),
                "baseline_words_per_s": _round(baseline_s and words / baseline_s),
                "single_process_words_per_s": _round(single_s and words / single_s),
                "speedup_vs_single_process": _round(single_s and single_s / pipeline_s, 2),
                "noop_s": round(noop_s, 2),
                "noop_ratio": round(noop_s / pipeline_s, 3),
                "incremental_s": round(incremental_s, 2),
                "incremental_empty_s": round(incremental_empty_s, 2),
                "incremental_ratio": round(incremental_s / incremental_empty_s, 3),
                **appended,
                "peak_rss_mb": round(peak_rss),
                "stage_seconds": {k: round(v, 2) for k, v in stages.items()},
                "stage_share": {k: round(v / pipeline_s, 3) for k, v in stages.items()},
                "unaccounted_share": round(1 - sum(stages.values()) / pipeline_s, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
