-- One row per view an analyst relies on, with the facts the `views` suite asserts: its rows are one per
-- key as its grain says (`one_row_per_key`), its counts add up to the tables' (`totals_add_up`), and its
-- values are within their bounds (`values_in_bounds`). NULL where a fact does not apply to the view.
-- Runs in an in-memory DuckDB where the tables are a run's staged Parquet and warehouse/views.sql has made
-- the views over them: the views are checked on the run's new rows before they are published.
-- `entity_cooccurrence` is left out: its pairs grow with the square of a document's names.

SELECT
    'document_versions' AS view_name,
    count(*) = count(DISTINCT doc_id) AS one_row_per_key,
    -- every document once, and one current version per item
    count(*) = (SELECT count(*) FROM documents) AND count(*) FILTER (WHERE is_current) = count(DISTINCT item)
        AS totals_add_up,
    coalesce(bool_and(1 <= version AND version <= versions), true) AS values_in_bounds
FROM document_versions

UNION ALL BY NAME
SELECT
    'current_documents' AS view_name,
    count(*) = count(DISTINCT doc_id) AS one_row_per_key,
    count(*) = (SELECT count(*) FROM document_versions WHERE is_current) AS totals_add_up
FROM current_documents

UNION ALL BY NAME
SELECT
    'current_appearances' AS view_name,
    count(*) = count(DISTINCT coalesce(url, source_path || coalesce(' ' || source_record, ''))) AS one_row_per_key,
    -- one appearance of each item (url, else path and record) of the appearances
    count(*) = (
        SELECT count(DISTINCT coalesce(url, source_path || coalesce(' ' || source_record, ''))) FROM appearances
    ) AS totals_add_up
FROM current_appearances

UNION ALL BY NAME
SELECT
    'entity_mentions' AS view_name,
    count(*) = count(DISTINCT entity_id) AS one_row_per_key,
    count(*) = (SELECT count(*) FROM current_entities) AS totals_add_up,
    coalesce(bool_and(start_char < end_char), true) AS values_in_bounds
FROM entity_mentions

UNION ALL BY NAME
SELECT
    'entity_counts_by_month' AS view_name,
    count(*) = count(DISTINCT (canonical, label, month)) AS one_row_per_key,
    coalesce(sum(mentions), 0) = (
        SELECT count(*) FROM current_entities JOIN current_documents USING (doc_id) WHERE published IS NOT NULL
    ) AS totals_add_up,
    coalesce(bool_and(1 <= documents AND documents <= mentions), true) AS values_in_bounds
FROM entity_counts_by_month

UNION ALL BY NAME
SELECT
    'entity_names' AS view_name,
    count(*) = count(DISTINCT (canonical, label)) AS one_row_per_key,
    coalesce(sum(mentions), 0) = (SELECT count(*) FROM current_entities) AS totals_add_up,
    coalesce(bool_and(1 <= documents AND documents <= mentions AND len(variants) >= 1), true) AS values_in_bounds
FROM entity_names

UNION ALL BY NAME
SELECT
    'entity_label_conflicts' AS view_name,
    count(*) = count(DISTINCT canonical) AS one_row_per_key,
    coalesce(bool_and(len(labels) > 1 AND documents = list_sum(documents_per_label)), true) AS values_in_bounds
FROM entity_label_conflicts

UNION ALL BY NAME
SELECT
    'surname_resolutions' AS view_name,
    count(*) = count(DISTINCT surname) AS one_row_per_key,
    coalesce(bool_and(full_name LIKE '% ' || surname AND mentions >= 1), true) AS values_in_bounds
FROM surname_resolutions

UNION ALL BY NAME
SELECT
    'documents_by_month' AS view_name,
    count(*) = (SELECT count(*) FROM (SELECT DISTINCT month FROM documents_by_month)) AS one_row_per_key,
    coalesce(sum(documents), 0) = (SELECT count(*) FROM current_documents)
        AND coalesce(sum(sentences), 0) = (SELECT count(*) FROM current_sentences)
        AND coalesce(sum(entities), 0) = (SELECT count(*) FROM current_entities) AS totals_add_up
FROM documents_by_month

UNION ALL BY NAME
SELECT
    'documents_by_outlet' AS view_name,
    count(*) = (SELECT count(*) FROM (SELECT DISTINCT outlet, day FROM documents_by_outlet)) AS one_row_per_key,
    coalesce(sum(documents), 0) = (SELECT count(*) FROM current_appearances JOIN documents USING (doc_id))
        AND coalesce(sum(sentences), 0) = (
            SELECT coalesce(sum(n_sentences), 0) FROM current_appearances JOIN documents USING (doc_id)
        )
        AND coalesce(sum(quotations), 0) = (SELECT count(*) FROM current_appearances JOIN quotes USING (doc_id))
        AS totals_add_up,
    coalesce(bool_and(0 <= copies AND copies <= documents AND documents >= 1), true) AS values_in_bounds
FROM documents_by_outlet

UNION ALL BY NAME
SELECT
    'language_stats' AS view_name,
    count(*) = count(DISTINCT language) AS one_row_per_key,
    coalesce(sum(documents), 0) = (SELECT count(*) FROM current_documents)
        -- each share is rounded to four decimals
        AND (count(*) = 0 OR abs(sum(share) - 1) <= 0.00005 * count(*) + 1e-9) AS totals_add_up,
    coalesce(bool_and(share BETWEEN 0 AND 1 AND mean_score BETWEEN 0 AND 1), true) AS values_in_bounds
FROM language_stats

UNION ALL BY NAME
SELECT
    'quotes_by_speaker' AS view_name,
    count(*) = count(DISTINCT (speaker, label)) AS one_row_per_key,
    coalesce(sum(quotations), 0) = (
        SELECT count(*) FROM current_quotes WHERE speaker_canonical IS NOT NULL AND kind <> 'question'
    ) AS totals_add_up,
    coalesce(bool_and(
        quotations = direct + indirect + continued + reported + answers
        AND 1 <= documents AND documents <= quotations
        AND coalesce(first_published <= last_published, true)
    ), true) AS values_in_bounds
FROM quotes_by_speaker

UNION ALL BY NAME
SELECT
    'quotes_by_outlet' AS view_name,
    count(*) = (SELECT count(*) FROM (SELECT DISTINCT outlet, speaker, label FROM quotes_by_outlet)) AS one_row_per_key,
    coalesce(sum(quotations), 0) = (
        SELECT count(*) FROM current_appearances
        JOIN quotes AS q USING (doc_id)
        WHERE q.speaker_canonical IS NOT NULL AND q.kind <> 'question'
    ) AS totals_add_up,
    coalesce(bool_and(
        quotations = direct + indirect + continued + reported + answers
        AND 1 <= documents AND documents <= quotations
        AND coalesce(first_published <= last_published, true)
    ), true) AS values_in_bounds
FROM quotes_by_outlet

UNION ALL BY NAME
SELECT
    'quote_topics' AS view_name,
    count(*) = count(DISTINCT (speaker, named, named_label)) AS one_row_per_key,
    coalesce(bool_and(1 <= quotations AND quotations <= mentions AND speaker <> named), true) AS values_in_bounds
FROM quote_topics

UNION ALL BY NAME
SELECT
    'place_mentions' AS view_name,
    count(*) = count(DISTINCT canonical) AS one_row_per_key,
    coalesce(bool_and(
        latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180 AND 1 <= documents AND documents <= mentions
    ), true) AS values_in_bounds
FROM place_mentions
