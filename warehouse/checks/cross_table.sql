-- One row per document, sentence and entity of a run, with the cross-table facts the `cross_table`
-- suite asserts (each fact TRUE when it holds, NULL where it does not apply to the row's kind).
-- Runs in an in-memory DuckDB where `documents`, `sentences` and `entities` are the run's staged Parquet,
-- with variables `corpus_language` and `ner_languages` set. Offsets count code points, as DuckDB's
-- substring() does.

WITH ordered AS (
    SELECT
        s.*,
        lag(s.end_char) OVER (PARTITION BY s.doc_id ORDER BY s.ordinal) AS previous_end,
        lead(s.start_char) OVER (PARTITION BY s.doc_id ORDER BY s.ordinal) AS next_start
    FROM sentences AS s
),
counted AS (
    SELECT
        d.doc_id,
        d.n_sentences = (SELECT count(*) FROM sentences AS s WHERE s.doc_id = d.doc_id)
            AND d.n_entities = (SELECT count(*) FROM entities AS e WHERE e.doc_id = d.doc_id) AS counts_match_rows
    FROM documents AS d
)
SELECT
    'document' AS row_kind,
    d.doc_id AS row_id,
    NULL::BOOLEAN AS parent_exists,
    d.n_chars = length(d.text) AS offsets_in_bounds,
    NULL::BOOLEAN AS text_matches_document,
    NULL::BOOLEAN AS sentence_tiles_document,
    NULL::BOOLEAN AS entity_inside_sentence,
    c.counts_match_rows,
    NOT regexp_full_match(d.text, '\s*') AS has_visible_text,
    (d.published IS NULL) = (d.published_precision IS NULL) AS date_has_precision,
    coalesce(d.published <= current_date, true) AS published_not_in_future,
    d.language = getvariable('corpus_language') AS in_corpus_language,
    -- short texts say nothing about density: one name in a 20-character note is not noise
    CASE WHEN list_contains(getvariable('ner_languages'), d.language) AND d.n_chars >= 200
         THEN 1000.0 * d.n_entities / d.n_chars END AS entities_per_1000_chars
FROM documents AS d
JOIN counted AS c USING (doc_id)

UNION ALL

SELECT
    'sentence',
    o.sentence_id,
    d.doc_id IS NOT NULL,
    coalesce(0 <= o.start_char AND o.start_char < o.end_char AND o.end_char <= d.n_chars, false),
    coalesce(substring(d.text, o.start_char + 1, o.end_char - o.start_char) = o.text, false),
    -- in order, no overlap, and only whitespace before, between and after the sentences
    coalesce(
        o.start_char >= coalesce(o.previous_end, 0)
        AND regexp_full_match(substring(d.text, coalesce(o.previous_end, 0) + 1, o.start_char - coalesce(o.previous_end, 0)), '\s*')
        AND (o.next_start IS NOT NULL OR regexp_full_match(substring(d.text, o.end_char + 1), '\s*')),
        false
    ),
    NULL,
    NULL,
    NOT regexp_full_match(o.text, '\s*'),
    NULL,
    NULL,
    NULL,
    NULL
FROM ordered AS o
LEFT JOIN documents AS d USING (doc_id)

UNION ALL

SELECT
    'entity',
    e.entity_id,
    d.doc_id IS NOT NULL AND s.sentence_id IS NOT NULL AND s.doc_id = e.doc_id,
    coalesce(0 <= e.start_char AND e.start_char < e.end_char AND e.end_char <= d.n_chars, false),
    coalesce(substring(d.text, e.start_char + 1, e.end_char - e.start_char) = e.text, false),
    NULL,
    coalesce(s.start_char <= e.start_char AND e.end_char <= s.end_char, false),
    NULL,
    NOT regexp_full_match(e.text, '\s*'),
    NULL,
    NULL,
    NULL,
    NULL
FROM entities AS e
LEFT JOIN documents AS d USING (doc_id)
LEFT JOIN sentences AS s USING (sentence_id)
