-- Views for analysts. Each says its grain.

-- One row per source path: the document most recently ingested from it. A file whose content changed
-- produces a new document; the earlier one stays in `documents` but is not current.
CREATE OR REPLACE VIEW current_documents AS
SELECT * EXCLUDE (recency)
FROM (
    SELECT d.*, row_number() OVER (PARTITION BY source_path ORDER BY ingested_at DESC, doc_id) AS recency
    FROM documents AS d
)
WHERE recency = 1;

-- One row per entity mention, with its sentence and the document's publication date.
CREATE OR REPLACE VIEW entity_mentions AS
SELECT
    e.entity_id,
    e.doc_id,
    e.sentence_id,
    e.text AS mention,
    e.canonical,
    e.label,
    s.text AS sentence,
    d.published,
    d.published_precision,
    d.source_path,
    e.start_char,
    e.end_char,
    e.model
FROM entities AS e
JOIN sentences AS s USING (sentence_id)
JOIN documents AS d ON d.doc_id = e.doc_id;

-- One row per canonical name, label and month of publication (documents without a date are left out).
CREATE OR REPLACE VIEW entity_counts_by_month AS
SELECT
    e.canonical,
    e.label,
    date_trunc('month', d.published)::DATE AS month,
    count(*) AS mentions,
    count(DISTINCT e.doc_id) AS documents
FROM entities AS e
JOIN documents AS d USING (doc_id)
WHERE d.published IS NOT NULL
GROUP BY ALL;
