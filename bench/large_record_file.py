"""A JSON Lines file of gigabytes, run by hand (never in CI): does a run stream it, and does a one-record append
to it cost what one new record costs?

    python bench/large_record_file.py --gb 2

Writes a JSON Lines file of about `--gb` gigabytes from the 1,028 10kGNAD articles of
../shared/tools/make_corpus.py, the articles over and over, each record with a url and outlet of its own (a
wire story that 40 outlets carry, over and over): the run analyses each distinct text once and keeps every
further record as an `appearances` row, so the file's every byte is read, hashed, parsed and triaged and every
record ends in a table, while the language stage stays at 1,028 articles (distinct texts at 2 GB would take
this 2-core machine most of a day). Then, in one command:
1. `textlake run` of the file into an empty data dir: seconds, peak RSS of the whole process tree (`run_s`,
   `peak_rss_mb`; goal <= 2,048 MB) and the summary's stage seconds;
2. one record appended to the file, run into a copy of that data dir, against that record alone into an empty
   one (`append_ratio`, as `bench/throughput.py` measures it on a small file; goal <= 1.2).
Prints one JSON line. Against a running Prefect server (PREFECT_API_URL) the runs' start costs less.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import MAKE_CORPUS, REPO, TEXTLAKE, append_costs, run_measured  # noqa: E402

OUTLETS = 40


def write_large_file(corpus: Path, out: Path, target_bytes: int) -> int:
    """The corpus's articles as records, over and over, until the file holds `target_bytes`; records written."""
    sys.path.insert(0, str(REPO))
    from textlake.ingest.header import parse_header
    from textlake.ingest.normalise import normalise_text

    articles = []
    for path in sorted(corpus.glob("*.txt")):
        header = parse_header(normalise_text(path.read_text(encoding="utf-8")))
        published = header.published.isoformat()[:10] if header.published else None
        articles.append((path.stem, header.body, published))
    written = records = 0
    with out.open("w", encoding="utf-8") as file:
        while written < target_bytes:
            stem, body, published = articles[records % len(articles)]
            outlet = f"outlet{records % OUTLETS:02d}.example"
            record = {"id": f"{stem}-{records}", "url": f"https://{outlet}/{records}", "text": body}
            if published:
                record["published"] = published
            line = json.dumps(record, ensure_ascii=False) + "\n"
            file.write(line)
            written += len(line.encode("utf-8"))
            records += 1
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gb", type=float, default=2.0, help="size of the JSON Lines file, in GB (2**30 bytes)")
    parser.add_argument("--work", type=Path, help="folder for the file and data dirs (default: a temporary one)")
    args = parser.parse_args()
    if not MAKE_CORPUS.exists():
        sys.exit(f"needs ../shared beside the checkout ({MAKE_CORPUS} is absent)")
    work = args.work or Path(tempfile.mkdtemp(prefix="textlake-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus, large = work / "corpus1028", work / f"large{args.gb:g}gb.jsonl"
    if not corpus.exists():
        command = [sys.executable, str(MAKE_CORPUS), "--source", "10kgnad", "--n", "1028", "--out", str(corpus)]
        subprocess.run(command, check=True)
    records = write_large_file(corpus, large, int(args.gb * 2**30))
    data, summary = work / "data_large", work / "large_summary.json"
    subprocess.run(["rm", "-rf", str(data)], check=True)
    command = [str(TEXTLAKE), "run", str(large), "--data-dir", str(data), "--summary-json", str(summary)]
    env = {**os.environ}
    run_s, peak_rss, cpu_by_role = run_measured(command, env)
    result = json.loads(summary.read_text())
    article = json.loads(large.open(encoding="utf-8").readline())["text"]
    appended = append_costs(large, data, article, work, env)
    print(
        json.dumps(
            {
                "file_bytes": large.stat().st_size,
                "records": records,
                "run_s": round(run_s, 1),
                "peak_rss_mb": round(peak_rss),
                "cpu_by_process": {k: round(v, 1) for k, v in sorted(cpu_by_role.items())},
                "documents_new": result.get("documents_new"),
                "stage_seconds": result.get("stage_seconds"),
                **appended,
            }
        )
    )


if __name__ == "__main__":
    main()
