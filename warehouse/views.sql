-- Views for analysts. Each says its grain.
-- `published` is an instant (TIMESTAMPTZ); months and days are cut in UTC (timezone('UTC', ...)), whatever
-- the zone of the session that reads them.

-- `source_record` sorts as text ('line 10' before 'line 9'); record_order(source_record) sorts in the file's
-- order: every number in it zero-padded to 12 digits ('member a/b.jsonl line 000000000009').
-- ORDER BY source_path, record_order(source_record) lists a file's documents or rejects as the file has them.
CREATE OR REPLACE MACRO record_order(source_record) AS array_to_string(
    [CASE WHEN regexp_full_match(part, '\d+') THEN lpad(part, 12, '0') ELSE part END
     FOR part IN regexp_extract_all(source_record, '\d+|\D+')],
    ''
);

-- Current and earlier versions. An item of news is its url where its source gives one, else where it was
-- read from (`source_path`, and `source_record` inside a record file). Text that changed made a new
-- document; the earlier one stays in `documents`, and the views for analysis below count current
-- documents only: one version of each item, the one ingested last (of one run's, the one later in its file).

-- One row per document, current or not: the item it is a version of, its version (1 the first ingested)
-- and whether it is the current one.
CREATE OR REPLACE VIEW document_versions AS
WITH items AS (
    SELECT *, coalesce(url, source_path || coalesce(' ' || source_record, '')) AS item FROM documents
),
numbered AS (
    SELECT
        doc_id,
        item,
        row_number() OVER (
            PARTITION BY item
            ORDER BY ingested_at, published NULLS FIRST, source_path, record_order(source_record), doc_id
        ) AS version,
        count(*) OVER (PARTITION BY item) AS versions,
        source_path,
        source_record,
        url,
        published,
        ingested_at
    FROM items
)
SELECT doc_id, item, version, versions, version = versions AS is_current,
       source_path, source_record, url, published, ingested_at
FROM numbered;

-- One row per item of news: its current document (every column of `documents`).
CREATE OR REPLACE VIEW current_documents AS
SELECT d.*
FROM documents AS d
SEMI JOIN document_versions AS v ON v.doc_id = d.doc_id AND v.is_current;

-- One row per item of news as last read, whichever outlet's: the latest appearance at its url (else at its
-- path and record), with the columns of `appearances`. A copy at another outlet's address stays current
-- while that address has the same text, whatever became of the address the text was first read at.
CREATE OR REPLACE VIEW current_appearances AS
SELECT *
FROM appearances
QUALIFY row_number() OVER (
    PARTITION BY coalesce(url, source_path || coalesce(' ' || source_record, ''))
    ORDER BY ingested_at DESC, published DESC NULLS LAST, source_path DESC, record_order(source_record) DESC,
             doc_id DESC
) = 1;

-- One row per sentence, entity mention or quotation of a current document (the tables' columns).
CREATE OR REPLACE VIEW current_sentences AS
SELECT * FROM sentences WHERE doc_id IN (SELECT doc_id FROM current_documents);
CREATE OR REPLACE VIEW current_entities AS
SELECT * FROM entities WHERE doc_id IN (SELECT doc_id FROM current_documents);
CREATE OR REPLACE VIEW current_quotes AS
SELECT * FROM quotes WHERE doc_id IN (SELECT doc_id FROM current_documents);

-- One row per entity mention, with its sentence and the document's publication time, title, address and outlet.
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
    d.title,
    d.url,
    d.outlet,
    d.source_path,
    e.start_char,
    e.end_char,
    e.model
FROM current_entities AS e
JOIN current_sentences AS s USING (sentence_id)
JOIN current_documents AS d ON d.doc_id = e.doc_id;

-- One row per canonical name, label and month of publication (documents without a date are left out).
CREATE OR REPLACE VIEW entity_counts_by_month AS
SELECT
    e.canonical,
    e.label,
    date_trunc('month', timezone('UTC', d.published))::DATE AS month,
    count(*) AS mentions,
    count(DISTINCT e.doc_id) AS documents
FROM current_entities AS e
JOIN current_documents AS d USING (doc_id)
WHERE d.published IS NOT NULL
GROUP BY ALL;

-- One row per canonical name and label: how often, in how many documents, and the surface forms used.
CREATE OR REPLACE VIEW entity_names AS
SELECT
    canonical,
    label,
    count(*) AS mentions,
    count(DISTINCT doc_id) AS documents,
    list(DISTINCT text ORDER BY text) AS variants
FROM current_entities
GROUP BY canonical, label;

-- One row per canonical name that has more than one label across documents (each document gives a name one
-- label): the labels, with mentions and documents each, most documents first. Names to review, or to
-- group by name alone.
CREATE OR REPLACE VIEW entity_label_conflicts AS
WITH per_label AS (
    SELECT canonical, label, count(*) AS mentions, count(DISTINCT doc_id) AS documents
    FROM current_entities
    GROUP BY canonical, label
)
SELECT
    canonical,
    list(label ORDER BY documents DESC, label) AS labels,
    list(documents ORDER BY documents DESC, label) AS documents_per_label,
    list(mentions ORDER BY documents DESC, label) AS mentions_per_label,
    sum(documents) AS documents
FROM per_label
GROUP BY canonical
HAVING count(*) > 1;

-- One row per one-word person name (a surname alone, "Hofer") that exactly one full person name in the
-- warehouse ends in ("Norbert Hofer"): the full name to read it as. A surname two full names share
-- ("Müller") is not here.
CREATE OR REPLACE VIEW surname_resolutions AS
WITH people AS (SELECT DISTINCT canonical FROM current_entities WHERE label = 'PER'),
full_names AS (
    SELECT canonical AS full_name, regexp_extract(canonical, '(\S+)$', 1) AS surname
    FROM people
    WHERE canonical LIKE '% %'
),
unique_surnames AS (
    SELECT surname, any_value(full_name) AS full_name FROM full_names GROUP BY surname HAVING count(*) = 1
)
SELECT p.canonical AS surname, u.full_name,
       (SELECT count(*) FROM current_entities AS e WHERE e.label = 'PER' AND e.canonical = p.canonical) AS mentions
FROM people AS p
JOIN unique_surnames AS u ON u.surname = p.canonical;

-- One row per unordered pair of entities (canonical name and label) that appear together: in how many
-- sentences and in how many documents. Each pair once, the alphabetically smaller name as entity_a.
CREATE OR REPLACE VIEW entity_cooccurrence AS
WITH mentions AS (
    SELECT DISTINCT doc_id, sentence_id, canonical, label FROM current_entities
),
sentence_pairs AS (
    SELECT a.canonical AS entity_a, a.label AS label_a, b.canonical AS entity_b, b.label AS label_b,
           count(DISTINCT a.sentence_id) AS sentences
    FROM mentions AS a
    JOIN mentions AS b ON a.sentence_id = b.sentence_id AND (a.canonical, a.label) < (b.canonical, b.label)
    GROUP BY ALL
),
document_mentions AS (
    SELECT DISTINCT doc_id, canonical, label FROM current_entities
),
document_pairs AS (
    SELECT a.canonical AS entity_a, a.label AS label_a, b.canonical AS entity_b, b.label AS label_b,
           count(*) AS documents
    FROM document_mentions AS a
    JOIN document_mentions AS b ON a.doc_id = b.doc_id AND (a.canonical, a.label) < (b.canonical, b.label)
    GROUP BY ALL
)
SELECT
    d.entity_a, d.label_a, d.entity_b, d.label_b,
    coalesce(s.sentences, 0) AS sentences,
    d.documents
FROM document_pairs AS d
LEFT JOIN sentence_pairs AS s USING (entity_a, label_a, entity_b, label_b);

-- One row per month of publication (documents without a date under NULL).
CREATE OR REPLACE VIEW documents_by_month AS
SELECT
    date_trunc('month', timezone('UTC', published))::DATE AS month,
    count(*) AS documents,
    sum(n_sentences) AS sentences,
    sum(n_entities) AS entities,
    sum(n_chars) AS characters
FROM current_documents
GROUP BY ALL;

-- One row per outlet and day of publication (UTC): the items of news it published that day as last read
-- (`current_appearances`), a wire story counted for every outlet that carried it, with their sentences,
-- entity mentions and quotations. Texts without an outlet (text files) under NULL, without a date under a
-- NULL day.
CREATE OR REPLACE VIEW documents_by_outlet AS
WITH quotations AS (SELECT doc_id, count(*) AS n FROM quotes GROUP BY doc_id)
SELECT
    a.outlet,
    timezone('UTC', a.published)::DATE AS day,
    count(*) AS documents,
    count(*) FILTER (WHERE a.is_copy) AS copies,
    sum(d.n_sentences) AS sentences,
    sum(d.n_entities) AS entities,
    coalesce(sum(q.n), 0) AS quotations
FROM current_appearances AS a
JOIN documents AS d USING (doc_id)
LEFT JOIN quotations AS q USING (doc_id)
GROUP BY ALL;

-- One row per detected language.
CREATE OR REPLACE VIEW language_stats AS
SELECT
    language,
    count(*) AS documents,
    sum(n_chars) AS characters,
    round(avg(language_score), 4) AS mean_score,
    round(count(*) / sum(count(*)) OVER (), 4) AS share
FROM current_documents
GROUP BY language;

-- One row per speaker (canonical name and label) with quotations: how many of each kind, in how many
-- documents, first and last published. Quotations whose text names nobody as speaker, and interviewers'
-- questions, are not here (see `quotes`).
CREATE OR REPLACE VIEW quotes_by_speaker AS
SELECT
    q.speaker_canonical AS speaker,
    q.speaker_label AS label,
    count(*) AS quotations,
    count(*) FILTER (WHERE q.kind = 'direct') AS direct,
    count(*) FILTER (WHERE q.kind = 'indirect') AS indirect,
    count(*) FILTER (WHERE q.kind IN ('free_indirect', 'indirect_free_indirect')) AS continued,
    count(*) FILTER (WHERE q.kind = 'reported') AS reported,
    count(*) FILTER (WHERE q.kind = 'answer') AS answers,
    count(DISTINCT q.doc_id) AS documents,
    min(d.published) AS first_published,
    max(d.published) AS last_published
FROM current_quotes AS q
JOIN current_documents AS d ON d.doc_id = q.doc_id
WHERE q.speaker_canonical IS NOT NULL
  AND q.kind <> 'question'  -- an interviewer's questions are not what the speaker said
GROUP BY ALL;

-- One row per outlet and speaker (canonical name and label): the quotations attributed to the speaker in the
-- items of news the outlet carried (`current_appearances`, wire copies included), by kind, in how many of
-- them, first and last published there. Which outlets quote whom.
CREATE OR REPLACE VIEW quotes_by_outlet AS
SELECT
    a.outlet,
    q.speaker_canonical AS speaker,
    q.speaker_label AS label,
    count(*) AS quotations,
    count(*) FILTER (WHERE q.kind = 'direct') AS direct,
    count(*) FILTER (WHERE q.kind = 'indirect') AS indirect,
    count(*) FILTER (WHERE q.kind IN ('free_indirect', 'indirect_free_indirect')) AS continued,
    count(*) FILTER (WHERE q.kind = 'reported') AS reported,
    count(*) FILTER (WHERE q.kind = 'answer') AS answers,
    count(DISTINCT (a.source_path, a.source_sha256, a.source_record)) AS documents,
    min(a.published) AS first_published,
    max(a.published) AS last_published
FROM current_appearances AS a
JOIN quotes AS q USING (doc_id)
WHERE q.speaker_canonical IS NOT NULL
  AND q.kind <> 'question'  -- an interviewer's questions are not what the speaker said
GROUP BY ALL;

-- One row per speaker and entity named inside their quotations: who talks about whom.
-- A quotation meets the entities that start in the blocks of 256 code points its parts touch, then those
-- inside a part are kept: joined on the document alone, a long document paired every quotation with every
-- entity (2 MB of text: 88 million pairs, 14 s).
CREATE OR REPLACE VIEW quote_topics AS
WITH quote_blocks AS (
    SELECT
        quote_id,
        doc_id,
        unnest(list_distinct(flatten([range(p[1] // 256, (p[2] - 1) // 256 + 1) FOR p IN parts]))) AS block
    FROM current_quotes
    WHERE speaker_canonical IS NOT NULL
),
quote_entities AS (
    SELECT DISTINCT b.quote_id, e.entity_id
    FROM quote_blocks AS b
    JOIN current_entities AS e ON e.doc_id = b.doc_id AND e.start_char // 256 = b.block
)
SELECT
    q.speaker_canonical AS speaker,
    e.canonical AS named,
    e.label AS named_label,
    count(*) AS mentions,
    count(DISTINCT q.quote_id) AS quotations
FROM quote_entities AS qe
JOIN current_quotes AS q USING (quote_id)
JOIN current_entities AS e USING (entity_id)
WHERE list_bool_or([e.start_char >= p[1] AND e.end_char <= p[2] FOR p IN q.parts])
  AND e.entity_id IS DISTINCT FROM q.speaker_entity_id
  AND e.canonical <> q.speaker_canonical
GROUP BY ALL;

-- One row per place on the map: a canonical place name linked to GeoNames, with its mentions and
-- documents. Place names no known place has are in `places` with NULL coordinates, not here.
CREATE OR REPLACE VIEW place_mentions AS
SELECT
    p.canonical,
    p.name AS geonames_name,
    p.feature,
    p.country_code,
    p.latitude,
    p.longitude,
    count(*) AS mentions,
    count(DISTINCT e.doc_id) AS documents
FROM places AS p
JOIN current_entities AS e ON e.canonical = p.canonical AND e.label = 'LOC'
WHERE p.geonames_id IS NOT NULL
GROUP BY ALL;
