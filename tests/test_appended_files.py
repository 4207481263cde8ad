"""A JSON Lines file that grows (a daily crawl appends to it) is read on from where the last run stopped; a file
rewritten is read again in full, and only its new or changed records become documents."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

import duckdb

from tests.conftest import ingest
from tests.news_pages import news_page, write_warc
from textlake.ingest.appended import chained_sha256
from textlake.ingest.known import FileState, KnownFiles, RecordReading, key_of
from textlake.ingest.record_triage import triage_record_file
from textlake.ingest.sources import SourceFile, discover_files, hashed_source, sampled_sha256
from textlake.settings import Settings

ARTICLES = [
    {
        "url": "https://www.tagesschau.de/inland/haushalt-101.html",
        "text": "Die Bundesregierung hat am Dienstag in Berlin den Haushalt für das kommende Jahr beschlossen. "
        "Die Opposition kritisierte den Entwurf scharf.",
    },
    {
        "url": "https://www.sueddeutsche.de/bayern/hochwasser-1.234",
        "text": "Nach tagelangem Regen sind in Bayern mehrere Flüsse über die Ufer getreten. In Passau wurden "
        "Straßen gesperrt.",
    },
    {
        "url": "https://www.spiegel.de/sport/fussball/trainer-a-1.html",
        "text": "Der FC Bayern München hat einen neuen Trainer vorgestellt. Das erste Training ist für Mittwoch "
        "geplant.",
    },
    {
        "url": "https://www.zeit.de/wirtschaft/bahn-streik",
        "text": "Die Lokführergewerkschaft hat zu einem neuen Streik aufgerufen. Pendler müssen sich am Montag "
        "auf Ausfälle einstellen.",
    },
]


def json_lines(*records: dict) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def as_read(source, sha256: str) -> KnownFiles:
    """What a run that read `source` whole remembers of it, and nothing of its records."""
    return KnownFiles({}, {}, set(), {source.path: FileState(source.n_bytes, source.mtime_ns, sha256)})


def test_lines_appended_are_read_alone_and_numbered_on(tmp_path):
    export = tmp_path / "crawl.jsonl"
    export.write_text(json_lines(*ARTICLES[:2]), encoding="utf-8")
    [source] = discover_files([export])[0]
    [first] = triage_record_file(source, KnownFiles({}, {}, set()), RecordReading(), batch_bytes=None)
    remembered = as_read(source, first.files_read[0][1].sha256)

    with export.open("a", encoding="utf-8") as crawl:
        crawl.write(json_lines(ARTICLES[2]))
    [grown] = discover_files([export])[0]
    [again] = triage_record_file(grown, remembered, RecordReading(), batch_bytes=None)
    # the first two lines were not read again: a read of the whole file would make documents of them (this
    # warehouse knows none), the appended line alone became one
    assert [(d.source_record, d.url) for d in again.documents] == [("line 3", ARTICLES[2]["url"])]
    assert again.files_read == [
        (grown.path, FileState(grown.n_bytes, grown.mtime_ns, again.documents[0].source_sha256))
    ]


def test_a_file_rewritten_or_grown_from_a_partial_line_is_read_in_full(tmp_path):
    export = tmp_path / "crawl.jsonl"
    export.write_text(json_lines(*ARTICLES[:2]), encoding="utf-8")
    [source] = discover_files([export])[0]
    [first] = triage_record_file(source, KnownFiles({}, {}, set()), RecordReading(), batch_bytes=None)
    remembered = as_read(source, first.files_read[0][1].sha256)

    edited = {**ARTICLES[0], "text": ARTICLES[0]["text"].replace("Dienstag", "Mittwoch")}
    export.write_text(json_lines(edited, *ARTICLES[1:3]), encoding="utf-8")  # first bytes changed, and longer
    [rewritten] = discover_files([export])[0]
    [again] = triage_record_file(rewritten, remembered, RecordReading(), batch_bytes=None)
    assert [d.source_record for d in again.documents] == ["line 1", "line 2", "line 3"]

    export.write_text(json_lines(ARTICLES[0]) + json.dumps(ARTICLES[1])[:40], encoding="utf-8")  # a crawler mid-line
    [partial] = discover_files([export])[0]
    [cut] = triage_record_file(partial, KnownFiles({}, {}, set()), RecordReading(), batch_bytes=None)
    export.write_text(json_lines(*ARTICLES[:3]), encoding="utf-8")
    [finished] = discover_files([export])[0]
    [again] = triage_record_file(finished, as_read(partial, cut.files_read[0][1].sha256), RecordReading(), None)
    assert [d.source_record for d in again.documents] == ["line 1", "line 2", "line 3"]


def test_an_empty_crawl_file_is_one_reject_and_its_first_lines_are_read_when_they_come(tmp_path):
    export = tmp_path / "crawl.jsonl"
    export.write_bytes(b"")
    [source] = discover_files([export])[0]
    [empty] = triage_record_file(source, KnownFiles({}, {}, set()), RecordReading(), batch_bytes=None)
    assert [(r.reason, r.detail) for r in empty.rejects] == [("empty", "no records")]
    export.write_text(json_lines(ARTICLES[0]), encoding="utf-8")
    [grown] = discover_files([export])[0]
    [first] = triage_record_file(grown, as_read(source, empty.files_read[0][1].sha256), RecordReading(), None)
    assert [(d.source_record, d.url) for d in first.documents] == [("line 1", ARTICLES[0]["url"])]


def test_lines_appended_are_told_as_a_read_of_the_whole_file_would_tell_them(tmp_path):
    export = tmp_path / "crawl.jsonl"
    export.write_text(json_lines(*ARTICLES[:2]), encoding="utf-8")
    [source] = discover_files([export])[0]
    [first] = triage_record_file(source, KnownFiles({}, {}, set()), RecordReading(), batch_bytes=None)
    sha256 = first.files_read[0][1].sha256
    texts_and_keys = ({(source.path, sha256): tuple(d.doc_id for d in first.documents)}, {}, set())
    keys = frozenset(key_of(d) for d in first.documents)
    remembered = KnownFiles(*texts_and_keys, {source.path: FileState(source.n_bytes, source.mtime_ns, sha256)}, keys)

    wire_copy = {**ARTICLES[1], "url": "https://www.merkur.de/bayern/hochwasser-92"}
    with export.open("a", encoding="utf-8") as crawl:  # line 1 again, line 2's text at another url, a new one
        crawl.write(json_lines(ARTICLES[0], wire_copy, ARTICLES[2]))
    [grown] = discover_files([export])[0]
    [appended] = triage_record_file(grown, remembered, RecordReading(), batch_bytes=None)
    [whole] = triage_record_file(grown, KnownFiles(*texts_and_keys, {}, keys), RecordReading(), batch_bytes=None)
    for read in (appended, whole):
        assert (read.unchanged, read.records) == (2, 5)
        assert [(r.source_record, r.reason) for r in read.rejects] == [("line 3", "duplicate")]
        assert [(d.source_record, d.url) for d in read.repeated_texts] == [("line 4", wire_copy["url"])]
        assert [d.source_record for d in read.documents] == ["line 5"]


# Every JSON Lines file taken for a large one (over 64 MiB by default): remembered by a sample of its bytes, so an
# append to it is read without reading the bytes before it again.
LARGE = RecordReading(whole_check_up_to=0)


def test_a_large_file_is_remembered_by_a_sample_and_an_append_read_without_its_earlier_bytes(tmp_path):
    export = tmp_path / "crawl.jsonl"
    export.write_text(json_lines(*ARTICLES[:2]), encoding="utf-8")
    [source] = discover_files([export])[0]
    [first] = triage_record_file(source, KnownFiles({}, {}, set()), LARGE, batch_bytes=None)
    [(_, read)] = first.files_read
    with export.open("rb") as file:
        assert (read.n_lines, read.sample_sha256) == (2, sampled_sha256(file, source.n_bytes))

    for line in (3, 4):  # a daily crawl: each run reads the one line appended since the last
        with export.open("a", encoding="utf-8") as crawl:
            crawl.write(json_lines(ARTICLES[line - 1]))
        [grown] = discover_files([export])[0]
        [again] = triage_record_file(grown, KnownFiles({}, {}, set(), {grown.path: read}), LARGE, batch_bytes=None)
        # its identity chains the earlier one with the appended bytes' hash; a whole read would have made
        # documents of every line (this warehouse knows none of them)
        appended = hashlib.sha256(json_lines(ARTICLES[line - 1]).encode("utf-8")).hexdigest()
        identity = chained_sha256(read.sha256, appended)
        assert [(d.source_record, d.url, d.source_sha256) for d in again.documents] == [
            (f"line {line}", ARTICLES[line - 1]["url"], identity)
        ]
        [(_, read)] = again.files_read
        with export.open("rb") as file:
            assert read == FileState(
                grown.n_bytes, grown.mtime_ns, identity, None, sampled_sha256(file, grown.n_bytes), line
            )


def test_only_a_local_file_is_remembered_by_a_sample(tmp_path):
    local = SourceFile(tmp_path / "crawl.jsonl", 10)
    bucket = SourceFile("s3://news/crawl.jsonl", 10)  # downloaded whole: a store reads ahead for each block
    assert [LARGE.keeps_sample(source) for source in (local, bucket)] == [True, False]
    assert not RecordReading().keeps_sample(local)  # under 64 MiB: the hash of its first bytes tells


def test_a_large_file_whose_sampled_bytes_changed_or_that_ended_mid_line_is_read_whole(tmp_path):
    export = tmp_path / "crawl.jsonl"
    export.write_text(json_lines(*ARTICLES[:2]), encoding="utf-8")
    [source] = discover_files([export])[0]
    [first] = triage_record_file(source, KnownFiles({}, {}, set()), LARGE, batch_bytes=None)
    remembered = KnownFiles({}, {}, set(), {source.path: first.files_read[0][1]})

    edited = {**ARTICLES[0], "text": ARTICLES[0]["text"].replace("Dienstag", "Mittwoch")}  # as long as before
    export.write_text(json_lines(edited, *ARTICLES[1:3]), encoding="utf-8")
    [rewritten] = discover_files([export])[0]
    [again] = triage_record_file(rewritten, remembered, LARGE, batch_bytes=None)
    assert [d.source_record for d in again.documents] == ["line 1", "line 2", "line 3"]
    assert again.files_read[0][1].sha256 == hashlib.sha256(export.read_bytes()).hexdigest()

    export.write_text(json_lines(ARTICLES[0]) + json.dumps(ARTICLES[1])[:40], encoding="utf-8")  # a crawler mid-line
    [partial] = discover_files([export])[0]
    [cut] = triage_record_file(partial, KnownFiles({}, {}, set()), LARGE, batch_bytes=None)
    export.write_text(json_lines(*ARTICLES[:3]), encoding="utf-8")
    [finished] = discover_files([export])[0]
    midway = KnownFiles({}, {}, set(), {partial.path: cut.files_read[0][1]})
    [again] = triage_record_file(finished, midway, LARGE, batch_bytes=None)
    assert [d.source_record for d in again.documents] == ["line 1", "line 2", "line 3"]


def test_a_web_archive_that_grew_is_read_whole_and_its_other_records_counted_again(tmp_path):
    crawl = tmp_path / "crawl.warc"  # uncompressed, as a crawler writing on appends to it
    pages = [(a["url"], news_page(f"Meldung {n}", [a["text"]]).encode()) for n, a in enumerate(ARTICLES[:3])]
    write_warc(crawl, pages[:2], extra=False)
    [source] = discover_files([crawl])[0]
    [first] = triage_record_file(source, KnownFiles({}, {}, set()), RecordReading(), batch_bytes=None)
    assert (len(first.documents), first.skipped) == (2, {"request": 2})
    sha256 = first.files_read[0][1].sha256
    remembered = KnownFiles(
        {(source.path, sha256): tuple(d.doc_id for d in first.documents)},
        {},
        set(),
        {source.path: FileState(source.n_bytes, source.mtime_ns, sha256)},
        frozenset(key_of(d) for d in first.documents),  # the pages at their urls
    )

    third_page = tmp_path / "third.warc"
    [third_id] = write_warc(third_page, pages[2:], extra=False)
    with crawl.open("ab") as appending:
        appending.write(third_page.read_bytes())
    [grown] = discover_files([crawl])[0]
    # one byte a batch: every page a batch of its own, the requests counted in whichever batch read them
    batches = list(triage_record_file(grown, remembered, RecordReading(), batch_bytes=1))
    assert [d.source_record for b in batches for d in b.documents] == [f"record {third_id}"]
    assert sum(b.unchanged for b in batches) == 2  # read whole: a WARC is no file read on from where it was
    assert sum((b.skipped for b in batches), Counter()) == {"request": 3}


def test_a_file_that_grows_while_it_is_read_is_read_as_far_as_it_was_hashed(tmp_path):
    export = tmp_path / "crawl.jsonl"
    export.write_text(json_lines(ARTICLES[0]), encoding="utf-8")
    [source] = discover_files([export])[0]
    with hashed_source(source) as hashed:
        with export.open("a", encoding="utf-8") as crawl:
            crawl.write(json_lines(ARTICLES[1]))
        assert hashed.file.read() == json_lines(ARTICLES[0]).encode("utf-8")
    assert hashed.n_bytes == len(json_lines(ARTICLES[0]).encode("utf-8"))


def documents(settings: Settings) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return con.execute("SELECT source_record, url, run_id FROM documents ORDER BY run_id, source_record").fetchall()


def current(settings: Settings) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return con.execute("SELECT source_record, url, text FROM current_documents ORDER BY source_record").fetchall()


def test_a_daily_crawl_appended_to_gives_its_new_record_and_a_rewrite_its_changed_one(prefect_harness, tmp_path):
    crawl = tmp_path / "crawl.jsonl"
    crawl.write_text(json_lines(*ARTICLES[:3]) + '{"url": "kaputt",\n', encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", workers=1)
    first = ingest([str(crawl)], settings)
    assert (first.documents_new, first.rejected) == (3, 1)
    before = documents(settings)

    with crawl.open("a", encoding="utf-8") as appending:  # the next day's crawl
        appending.write(json_lines(ARTICLES[3]))
    appended = ingest([str(crawl)], settings)
    assert (appended.records_seen, appended.documents_new, appended.documents_unchanged) == (5, 1, 3)
    assert (appended.rejects_by_reason, appended.reconciles) == ({"malformed": 1}, True)
    after = documents(settings)
    assert after[:3] == before  # untouched: the same rows, of the first run
    assert [(record, url) for record, url, _ in after[3:]] == [("line 5", ARTICLES[3]["url"])]

    edited = {**ARTICLES[1], "text": ARTICLES[1]["text"].replace("Passau", "Regensburg")}
    crawl.write_text(json_lines(ARTICLES[0], edited, ARTICLES[2], ARTICLES[3]), encoding="utf-8")  # rewritten
    rewritten = ingest([str(crawl)], settings)
    assert (rewritten.documents_new, rewritten.documents_unchanged, rewritten.rejected) == (1, 3, 0)
    assert [(record, url) for record, url, _ in documents(settings)[4:]] == [("line 2", ARTICLES[1]["url"])]
    assert ("line 2", ARTICLES[1]["url"], edited["text"]) in current(settings)
