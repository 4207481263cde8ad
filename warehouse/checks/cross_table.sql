-- One row per document, sentence, entity, quotation and appearance of a run, plus one row for the run as a
-- whole, with the cross-table facts the `cross_table` suite asserts. A fact is NULL where it does not apply
-- to the row's kind (UNION ALL BY NAME fills the gaps), and GX skips NULLs.
-- Runs in an in-memory DuckDB where the tables are the run's staged Parquet, `earlier_documents` the
-- warehouse's documents that the run's copies name (warehouse/checks/earlier_documents.sql), and variables
-- `corpus_language` and `ner_languages` are set. Offsets count code points, as DuckDB's substring() does.

WITH ordered AS (
    SELECT
        s.*,
        lag(s.end_char) OVER (PARTITION BY s.doc_id ORDER BY s.ordinal) AS previous_end,
        lead(s.start_char) OVER (PARTITION BY s.doc_id ORDER BY s.ordinal) AS next_start
    FROM sentences AS s
),
-- The document's text at each span a fact compares: a row's own span, the gap before a sentence, the rest
-- after a document's last sentence (`to_end`). Cut from blocks of 256 code points: substring() of the
-- whole text counts code points from its start at every row, so a long document cost the square of its
-- length (2 MB of German text: 30 s for its sentences alone). A span outside its document, or in a
-- document whose doc_id is not unique, is cut from the whole text as before (the offsets fact fails it).
-- The rows below join these texts, never the documents' text: carried through the joins, it was copied
-- per row.
spans AS (
    SELECT DISTINCT doc_id, span_start, span_end, to_end
    FROM (
        SELECT doc_id, start_char AS span_start, end_char AS span_end, false AS to_end FROM sentences
        UNION ALL SELECT doc_id, coalesce(previous_end, 0), start_char, false FROM ordered
        UNION ALL SELECT doc_id, end_char, NULL, true FROM ordered WHERE next_start IS NULL
        UNION ALL SELECT doc_id, start_char, end_char, false FROM entities
        UNION ALL SELECT doc_id, start_char, end_char, false FROM quotes
        UNION ALL SELECT doc_id, cue_start_char, cue_end_char, false FROM quotes
        UNION ALL SELECT doc_id, speaker_start_char, speaker_end_char, false FROM quotes
    )
    WHERE span_start IS NOT NULL AND (span_end IS NOT NULL OR to_end)
),
document_lengths AS (
    SELECT doc_id, length(any_value(text)) AS n_chars FROM documents GROUP BY doc_id HAVING count(*) = 1
),
spans_inside AS (
    SELECT s.*, CASE WHEN s.to_end THEN l.n_chars ELSE s.span_end END AS inside_end
    FROM spans AS s
    JOIN document_lengths AS l USING (doc_id)
    WHERE 0 <= s.span_start AND s.span_start <= coalesce(s.span_end, l.n_chars) AND coalesce(s.span_end, 0) <= l.n_chars
),
document_blocks AS (
    SELECT doc_id, regexp_extract_all(d.text, '(?s).{1,256}') AS blocks
    FROM documents AS d SEMI JOIN document_lengths USING (doc_id)
),
-- A span's text from the blocks it covers (list_slice counts from 1 and includes its end), row by row: no
-- aggregate whose state grows with the run (an ordered string_agg per span did not spill).
span_texts AS (
    SELECT
        s.doc_id, s.span_start, s.span_end, s.to_end,
        substring(
            array_to_string(list_slice(b.blocks, s.span_start // 256 + 1, (s.inside_end - 1) // 256 + 1), ''),
            s.span_start % 256 + 1,
            s.inside_end - s.span_start
        ) AS text
    FROM spans_inside AS s
    JOIN document_blocks AS b USING (doc_id)
    WHERE s.span_start < s.inside_end
    UNION ALL
    SELECT doc_id, span_start, span_end, to_end, '' FROM spans_inside WHERE span_start = inside_end
    UNION ALL
    SELECT
        s.doc_id, s.span_start, s.span_end, s.to_end,
        CASE WHEN s.to_end THEN substring(d.text, s.span_start + 1)
             ELSE substring(d.text, s.span_start + 1, s.span_end - s.span_start) END
    FROM spans AS s
    JOIN documents AS d USING (doc_id)
    ANTI JOIN spans_inside AS i
        ON i.doc_id = s.doc_id AND i.span_start = s.span_start AND i.to_end = s.to_end
        AND i.span_end IS NOT DISTINCT FROM s.span_end
),
-- What the rows below compare of each span: a digest of its text and whether it is blank. The joins below
-- hold these, not the texts: three joins per row kind holding every span's text outgrew the 512 MB DuckDB
-- may use in a run of 10,000 articles (~850,000 spans), and such a join does not spill.
span_facts AS (
    SELECT doc_id, span_start, span_end, to_end, md5_number(text) AS text_md5, regexp_full_match(text, '\s*') AS blank
    FROM span_texts
),
-- what the rows below need of their document
document_bounds AS (SELECT doc_id, n_chars FROM documents),
sentence_counts AS (SELECT doc_id, count(*) AS n FROM sentences GROUP BY doc_id),
entity_counts AS (SELECT doc_id, count(*) AS n FROM entities GROUP BY doc_id),
-- a document's appearances that are no copy, and of them those read where it was, as it was
own_appearances AS (
    SELECT
        d.doc_id,
        count(a.doc_id) AS n,
        count(a.doc_id) FILTER (
            WHERE a.source_path = d.source_path AND a.source_sha256 = d.source_sha256
            AND a.source_record IS NOT DISTINCT FROM d.source_record AND a.url IS NOT DISTINCT FROM d.url
            AND a.outlet IS NOT DISTINCT FROM d.outlet AND a.title IS NOT DISTINCT FROM d.title
            AND a.published IS NOT DISTINCT FROM d.published
        ) AS as_read
    FROM documents AS d
    LEFT JOIN appearances AS a ON a.doc_id = d.doc_id AND NOT a.is_copy
    GROUP BY d.doc_id
),
document_facts AS (
    SELECT
        'document' AS row_kind,
        d.doc_id AS row_id,
        d.n_chars = length(d.text) AS offsets_in_bounds,
        d.n_sentences = coalesce(sc.n, 0) AND d.n_entities = coalesce(ec.n, 0) AS counts_match_rows,
        NOT regexp_full_match(d.text, '\s*') AS has_visible_text,
        oa.n = 1 AND oa.as_read = 1 AS appears_where_read,
        (d.published IS NULL) = (d.published_precision IS NULL) AS date_has_precision,
        -- a day's grace: a source's clock, or a time zone given wrong, may be hours ahead
        coalesce(d.published <= current_timestamp + INTERVAL 1 DAY, true) AS published_not_in_future,
        coalesce(d.published >= TIMESTAMPTZ '1900-01-01 00:00:00+00', true) AS published_after_1900,
        -- a reader that left the headline in the body: the text's first sentence, or first line, is the title
        CASE WHEN d.title IS NOT NULL THEN
            lower(trim(d.title, ' .:!?')) NOT IN (lower(trim(fs.text, ' .:!?')), lower(trim(split_part(d.text, chr(10), 1), ' .:!?')))
        END AS title_not_first_sentence,
        CASE WHEN d.authors IS NOT NULL THEN
            len(d.authors) > 0 AND list_bool_and([NOT regexp_full_match(coalesce(a, ''), '\s*') FOR a IN d.authors])
        END AS authors_are_names,
        d.language = getvariable('corpus_language') AS in_corpus_language,
        -- short texts say nothing about density: one name in a 20-character note is not noise
        CASE WHEN list_contains(getvariable('ner_languages'), d.language) AND d.n_chars >= 200
             THEN 1000.0 * d.n_entities / d.n_chars END AS entities_per_1000_chars
    FROM documents AS d
    LEFT JOIN sentence_counts AS sc USING (doc_id)
    LEFT JOIN entity_counts AS ec USING (doc_id)
    LEFT JOIN own_appearances AS oa USING (doc_id)
    LEFT JOIN sentences AS fs ON fs.doc_id = d.doc_id AND fs.ordinal = 0
)
SELECT * FROM document_facts

UNION ALL BY NAME

SELECT
    'run' AS row_kind,
    'run' AS row_id,
    avg(entities_per_1000_chars) AS run_mean_entities_per_1000_chars
FROM document_facts

UNION ALL BY NAME

SELECT
    'sentence' AS row_kind,
    o.sentence_id AS row_id,
    d.doc_id IS NOT NULL AS parent_exists,
    coalesce(0 <= o.start_char AND o.start_char < o.end_char AND o.end_char <= d.n_chars, false) AS offsets_in_bounds,
    coalesce(own.text_md5 = md5_number(o.text), false) AS text_matches_document,
    -- in order, no overlap, and only whitespace before, between and after the sentences (the rest of the
    -- document after the last one only: DuckDB evaluates both sides of an OR, a CASE branch only where taken)
    coalesce(
        o.start_char >= coalesce(o.previous_end, 0)
        AND gap.blank
        AND CASE WHEN o.next_start IS NULL THEN rest.blank ELSE true END,
        false
    ) AS sentence_tiles_document,
    NOT regexp_full_match(o.text, '\s*') AS has_visible_text
FROM ordered AS o
LEFT JOIN document_bounds AS d USING (doc_id)
LEFT JOIN span_facts AS own
    ON own.doc_id = o.doc_id AND own.span_start = o.start_char AND own.span_end = o.end_char AND NOT own.to_end
LEFT JOIN span_facts AS gap
    ON gap.doc_id = o.doc_id AND gap.span_start = coalesce(o.previous_end, 0) AND gap.span_end = o.start_char
    AND NOT gap.to_end
LEFT JOIN span_facts AS rest ON rest.doc_id = o.doc_id AND rest.span_start = o.end_char AND rest.to_end

UNION ALL BY NAME

SELECT
    'entity' AS row_kind,
    e.entity_id AS row_id,
    d.doc_id IS NOT NULL AND s.sentence_id IS NOT NULL AND s.doc_id = e.doc_id AS parent_exists,
    coalesce(0 <= e.start_char AND e.start_char < e.end_char AND e.end_char <= d.n_chars, false) AS offsets_in_bounds,
    coalesce(own.text_md5 = md5_number(e.text), false) AS text_matches_document,
    coalesce(s.start_char <= e.start_char AND e.end_char <= s.end_char, false) AS entity_inside_sentence,
    NOT regexp_full_match(e.text, '\s*') AS has_visible_text
FROM entities AS e
LEFT JOIN document_bounds AS d USING (doc_id)
LEFT JOIN span_facts AS own
    ON own.doc_id = e.doc_id AND own.span_start = e.start_char AND own.span_end = e.end_char AND NOT own.to_end
LEFT JOIN sentences AS s USING (sentence_id)

UNION ALL BY NAME

-- A quotation's document, sentence and speaker entity exist; its parts, cue and speaker lie in the document
-- and their text is the document's text there.
SELECT
    'quote' AS row_kind,
    q.quote_id AS row_id,
    d.doc_id IS NOT NULL AND s.sentence_id IS NOT NULL AND s.doc_id = q.doc_id
        AND (q.speaker_entity_id IS NULL OR (e.entity_id IS NOT NULL AND e.doc_id = q.doc_id))
        AND (q.speaker_entity_id IS NULL OR q.speaker_canonical IS NOT DISTINCT FROM e.canonical)
        AND (q.speaker_canonical IS NULL) = (q.speaker_label IS NULL) AS parent_exists,
    coalesce(
        0 <= q.start_char AND q.start_char < q.end_char AND q.end_char <= d.n_chars
        AND q.parts[1][1] = q.start_char AND q.parts[-1][2] = q.end_char
        AND list_bool_and([p[1] < p[2] AND p[1] >= q.start_char AND p[2] <= q.end_char FOR p IN q.parts])
        AND coalesce(0 <= q.cue_start_char AND q.cue_start_char < q.cue_end_char AND q.cue_end_char <= d.n_chars, q.cue IS NULL)
        AND coalesce(0 <= q.speaker_start_char AND q.speaker_start_char < q.speaker_end_char AND q.speaker_end_char <= d.n_chars, q.speaker IS NULL),
        false
    ) AS offsets_in_bounds,
    coalesce(
        own.text_md5 = md5_number(q.text)
        AND coalesce(cue.text_md5 = md5_number(q.cue), q.cue IS NULL)
        AND coalesce(speaker.text_md5 = md5_number(q.speaker), q.speaker IS NULL),
        false
    ) AS text_matches_document,
    NOT regexp_full_match(q.text, '\s*') AS has_visible_text
FROM quotes AS q
LEFT JOIN document_bounds AS d USING (doc_id)
LEFT JOIN span_facts AS own
    ON own.doc_id = q.doc_id AND own.span_start = q.start_char AND own.span_end = q.end_char AND NOT own.to_end
LEFT JOIN span_facts AS cue
    ON cue.doc_id = q.doc_id AND cue.span_start = q.cue_start_char AND cue.span_end = q.cue_end_char AND NOT cue.to_end
LEFT JOIN span_facts AS speaker ON speaker.doc_id = q.doc_id AND speaker.span_start = q.speaker_start_char
    AND speaker.span_end = q.speaker_end_char AND NOT speaker.to_end
LEFT JOIN sentences AS s USING (sentence_id)
LEFT JOIN entities AS e ON e.entity_id = q.speaker_entity_id

UNION ALL BY NAME

-- An appearance's text is a document, of this run or an earlier one; one that is no copy was read where its
-- document was. A copy's date is checked as a document's is (a first appearance has its document's date).
SELECT
    'appearance' AS row_kind,
    concat_ws(' ', a.source_path, a.source_record) AS row_id,
    d.doc_id IS NOT NULL OR a.doc_id IN (SELECT doc_id FROM earlier_documents) AS parent_exists,
    CASE WHEN NOT a.is_copy THEN
        coalesce(a.source_path = d.source_path AND a.source_sha256 = d.source_sha256
                 AND a.source_record IS NOT DISTINCT FROM d.source_record, false)
    END AS appears_where_read,
    CASE WHEN a.is_copy THEN (a.published IS NULL) = (a.published_precision IS NULL) END AS date_has_precision,
    CASE WHEN a.is_copy THEN coalesce(a.published <= current_timestamp + INTERVAL 1 DAY, true) END AS published_not_in_future,
    CASE WHEN a.is_copy THEN coalesce(a.published >= TIMESTAMPTZ '1900-01-01 00:00:00+00', true) END AS published_after_1900
FROM appearances AS a
LEFT JOIN documents AS d USING (doc_id)

UNION ALL BY NAME

-- A silent model: a German document of five sentences or more whose text cues speech, without a quotation.
SELECT
    'document' AS row_kind,
    d.doc_id AS row_id,
    EXISTS (SELECT 1 FROM quotes AS q WHERE q.doc_id = d.doc_id) AS quotes_where_speech_is_cued
FROM documents AS d
WHERE d.language = 'de' AND d.n_sentences >= 5
  AND regexp_matches(d.text, '\b(sagte|erklärte|teilte|laut|zufolge)\b')
