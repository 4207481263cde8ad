-- textlake warehouse: the tables, in step with schemas/*.yaml (tests/test_contracts.py checks it).
-- Rows are keyed (each contract's `key`), so loading the same run twice adds nothing. Tables whose rows
-- are kept as first loaded (`on_conflict: keep`) declare no PRIMARY KEY: the load adds only rows whose key
-- is not there yet, and each run's checks find duplicate keys within it. DuckDB rewrites a key's whole index
-- at every checkpoint, 0.7 s at 10,000 documents and growing with the warehouse, for a run of one file too.
-- Tables whose rows a later run replaces (`on_conflict: replace`) keep theirs: INSERT OR REPLACE needs it.

CREATE TABLE IF NOT EXISTS documents (
    doc_id              VARCHAR NOT NULL,
    source_path         VARCHAR NOT NULL,
    source_sha256       VARCHAR NOT NULL,
    n_bytes             BIGINT NOT NULL,
    encoding            VARCHAR NOT NULL,
    published           TIMESTAMPTZ,
    published_precision VARCHAR,
    title               VARCHAR,
    url                 VARCHAR,
    outlet              VARCHAR,
    authors             VARCHAR[],
    external_id         VARCHAR,
    source_record       VARCHAR,
    language            VARCHAR NOT NULL,
    language_score      DOUBLE NOT NULL,
    text                VARCHAR NOT NULL,
    n_chars             BIGINT NOT NULL,
    n_sentences         INTEGER NOT NULL,
    n_entities          INTEGER NOT NULL,
    header_note         VARCHAR,
    run_id              VARCHAR NOT NULL,
    ingested_at         TIMESTAMPTZ NOT NULL
);

-- Every appearance of a document's text: its own source, and each further file or record with the same text
-- (a wire story carried by several outlets), so that counts per outlet include the copies.
CREATE TABLE IF NOT EXISTS appearances (
    doc_id              VARCHAR NOT NULL,
    source_path         VARCHAR NOT NULL,
    source_sha256       VARCHAR NOT NULL,
    source_record       VARCHAR,
    url                 VARCHAR,
    outlet              VARCHAR,
    title               VARCHAR,
    published           TIMESTAMPTZ,
    published_precision VARCHAR,
    is_copy             BOOLEAN NOT NULL,
    run_id              VARCHAR NOT NULL,
    ingested_at         TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS sentences (
    sentence_id VARCHAR NOT NULL,
    doc_id      VARCHAR NOT NULL,
    ordinal     INTEGER NOT NULL,
    paragraph   INTEGER NOT NULL,
    start_char  BIGINT NOT NULL,
    end_char    BIGINT NOT NULL,
    text        VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS entities (
    entity_id   VARCHAR NOT NULL,
    doc_id      VARCHAR NOT NULL,
    sentence_id VARCHAR NOT NULL,
    start_char  BIGINT NOT NULL,
    end_char    BIGINT NOT NULL,
    text        VARCHAR NOT NULL,
    label       VARCHAR NOT NULL,
    canonical   VARCHAR NOT NULL,
    confidence  DOUBLE,
    model       VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS quotes (
    quote_id           VARCHAR NOT NULL,
    doc_id             VARCHAR NOT NULL,
    sentence_id        VARCHAR NOT NULL,
    start_char         BIGINT NOT NULL,
    end_char           BIGINT NOT NULL,
    parts              BIGINT[][] NOT NULL,
    text               VARCHAR NOT NULL,
    kind               VARCHAR NOT NULL,
    cue                VARCHAR,
    cue_start_char     BIGINT,
    cue_end_char       BIGINT,
    speaker            VARCHAR,
    speaker_start_char BIGINT,
    speaker_end_char   BIGINT,
    speaker_entity_id  VARCHAR,
    speaker_canonical  VARCHAR,
    speaker_label      VARCHAR,
    addressee          VARCHAR,
    confidence         DOUBLE,
    model              VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS places (
    canonical    VARCHAR PRIMARY KEY,
    geonames_id  BIGINT,
    name         VARCHAR,
    feature      VARCHAR,
    country_code VARCHAR,
    latitude     DOUBLE,
    longitude    DOUBLE,
    population   BIGINT,
    run_id       VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS rejects (
    source_path   VARCHAR NOT NULL,
    source_sha256 VARCHAR NOT NULL,
    source_record VARCHAR,
    reason        VARCHAR NOT NULL,
    detail        VARCHAR NOT NULL,
    n_bytes       BIGINT,
    duplicate_of  VARCHAR,
    run_id        VARCHAR NOT NULL,
    rejected_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS runs (
    run_id              VARCHAR NOT NULL,
    flow_run_id         VARCHAR,
    started_at          TIMESTAMPTZ NOT NULL,
    finished_at         TIMESTAMPTZ NOT NULL,
    inputs              VARCHAR NOT NULL,
    files_seen          BIGINT NOT NULL,
    record_files        BIGINT,
    records_seen        BIGINT,
    documents_new       BIGINT NOT NULL,
    appearances_new     BIGINT,
    documents_unchanged BIGINT NOT NULL,
    rejected            BIGINT NOT NULL,
    sentences_new       BIGINT NOT NULL,
    entities_new        BIGINT NOT NULL,
    checks_passed       BIGINT NOT NULL,
    checks_failed       BIGINT NOT NULL,
    stage_seconds       VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS validations (
    run_id            VARCHAR NOT NULL,
    suite             VARCHAR NOT NULL,
    position          INTEGER NOT NULL,
    expectation       VARCHAR NOT NULL,
    "column"          VARCHAR,
    severity          VARCHAR NOT NULL,
    success           BOOLEAN NOT NULL,
    observed          VARCHAR,
    unexpected_count  BIGINT,
    unexpected_sample VARCHAR,
    notes             VARCHAR,
    validated_at      TIMESTAMPTZ NOT NULL,
    unexpected_rows   VARCHAR
);
-- Warehouses written before validations named their offending rows get the column too.
ALTER TABLE validations ADD COLUMN IF NOT EXISTS unexpected_rows VARCHAR;

-- What each input path looked like when last read: a later run whose stat (size, mtime; an object's size and
-- entity tag) matches skips reading and hashing the file; a changed stat means read and hash, and the hash
-- decides.
CREATE TABLE IF NOT EXISTS file_state (
    source_path   VARCHAR PRIMARY KEY,
    n_bytes       BIGINT NOT NULL,
    mtime_ns      BIGINT NOT NULL,
    source_sha256 VARCHAR NOT NULL,
    run_id        VARCHAR NOT NULL,
    etag          VARCHAR,
    sample_sha256 VARCHAR,
    n_lines       BIGINT
);

-- Every value a curation rule changed (textlake/lake/curation.py): by a run in its new rows, or by
-- `textlake curate apply` in the warehouse.
CREATE TABLE IF NOT EXISTS curation_log (
    application_id  VARCHAR NOT NULL,
    applied_at      TIMESTAMPTZ NOT NULL,
    rule            VARCHAR NOT NULL,
    table_name      VARCHAR NOT NULL,
    row_key         VARCHAR NOT NULL,
    column_name     VARCHAR NOT NULL,
    change          VARCHAR NOT NULL,
    old_value       VARCHAR,
    new_value       VARCHAR,
    curation_file   VARCHAR NOT NULL,
    curation_sha256 VARCHAR NOT NULL
);
