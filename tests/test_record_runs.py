"""Record files in runs: a JSON Lines, JSON, CSV or Parquet file gives one document per record."""

from __future__ import annotations

from textlake.ingest.sources import discover_files
from textlake.settings import Settings


def test_a_folder_gives_every_file_of_a_format_textlake_reads_and_glob_narrows_it(tmp_path):
    names = ["a.txt", "b.jsonl", "c.json", "d.csv.gz", "e.tsv", "f.parquet", "g.zip", "h.ndjson.zst", "notes.md", "x"]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    listed = [s.location.name for s in discover_files([tmp_path])[0]]
    assert listed == ["a.txt", "b.jsonl", "c.json", "d.csv.gz", "e.tsv", "f.parquet", "g.zip", "h.ndjson.zst"]
    assert [s.location.name for s in discover_files([tmp_path], ["*.jsonl", "*.md"])[0]] == ["b.jsonl", "notes.md"]
    assert [s.location.name for s in discover_files([tmp_path / "x"])[0]] == ["x"]  # named: always read


def test_glob_takes_one_pattern_or_several():
    assert Settings().glob == ()
    assert Settings(glob="*.jsonl").glob == ("*.jsonl",)
    assert Settings(glob=["*.jsonl", "*.txt"]).glob == ("*.jsonl", "*.txt")
