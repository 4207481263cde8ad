"""Record files: one document per record of a JSON Lines, JSON, CSV/TSV or Parquet file, per HTML page (an
.html file, or each page of a WARC web archive), or of a zip of them.

How the flow calls it (issue 31, "News as it arrives"):

    fields = field_names_from_flags(cli_field_flags)          # --field text=body, once per run
    with open(path, "rb") as file:                            # sources.open_source: s3://... too
        check_text_column(file, path.name, format=fmt, fields=fields)  # a usage error before the run starts
    for item in read_record_file(path, format=fmt, fields=fields, max_record_bytes=settings.max_file_bytes):
        ...  # SourceRecord → one document; RecordReject → one rejects row; SkippedRecords → counted

A record file is many documents: each document (and each reject) is identified by the file's `source_path`
plus the record's `source_record` ("line 1432", "row 17", "record 3", "record <urn:uuid:…>" in a WARC,
"member a/b.txt"; "" for a file that is one record), and a record's `raw_sha256` says whether it changed since an earlier run read it. The reader is an
iterator over a stream: batch it into the flow's tasks by count or by text size (a multi-GB file is never in
memory as a whole); what the record says (title, url, outlet, authors, published in UTC with its precision,
external id, language hint) goes to the document's columns. The text is as the record has it: the flow
normalises it and detects the language as it does for .txt files.
"""

from textlake.ingest.records.fields import (
    DEFAULT_FIELD_NAMES,
    DEFAULT_NAMES,
    FieldNames,
    RecordReject,
    SkippedRecords,
    SourceRecord,
    field_names,
    field_names_from_flags,
)
from textlake.ingest.records.formats import FileFormat, detect_format
from textlake.ingest.records.published import Published, parse_published
from textlake.ingest.records.readers import (
    DEFAULT_MAX_RECORD_BYTES,
    NoTextColumn,
    check_text_column,
    read_json_lines,
    read_record_file,
    read_records,
)

__all__ = [
    "DEFAULT_FIELD_NAMES",
    "DEFAULT_MAX_RECORD_BYTES",
    "DEFAULT_NAMES",
    "FieldNames",
    "FileFormat",
    "NoTextColumn",
    "Published",
    "RecordReject",
    "SkippedRecords",
    "SourceRecord",
    "check_text_column",
    "detect_format",
    "field_names",
    "field_names_from_flags",
    "parse_published",
    "read_json_lines",
    "read_record_file",
    "read_records",
]
