-- The search index: terms (lower case, German Snowball stems from the FTS extension's stem()) and lengths
-- of every sentence and quotation, with BM25 as table macros over them. Each load indexes only the rows
-- not indexed yet (an anti-join on the lengths), so a run that adds one file indexes one file's rows,
-- however large the warehouse; a warehouse from before this index is indexed in full by its next load.
CREATE SCHEMA IF NOT EXISTS search;
CREATE TABLE IF NOT EXISTS search.sentence_terms (sentence_id VARCHAR NOT NULL, term VARCHAR NOT NULL, tf INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS search.sentence_lengths (sentence_id VARCHAR NOT NULL, length INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS search.quote_terms (quote_id VARCHAR NOT NULL, term VARCHAR NOT NULL, tf INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS search.quote_lengths (quote_id VARCHAR NOT NULL, length INTEGER NOT NULL);

CREATE OR REPLACE TEMP TABLE new_tokens AS
SELECT sentence_id, stem(unnest(regexp_extract_all(lower(text), '[\p{L}\p{N}]+')), 'german') AS term
FROM sentences ANTI JOIN search.sentence_lengths USING (sentence_id);
INSERT INTO search.sentence_lengths SELECT sentence_id, count(*) FROM new_tokens GROUP BY sentence_id;
INSERT INTO search.sentence_terms SELECT sentence_id, term, count(*) FROM new_tokens GROUP BY ALL;

-- a quotation is found by its words and by its speaker's, as written and as canonical name
CREATE OR REPLACE TEMP TABLE new_tokens AS
SELECT quote_id, stem(unnest(regexp_extract_all(lower(concat_ws(' ', text, speaker, speaker_canonical)), '[\p{L}\p{N}]+')), 'german') AS term
FROM quotes ANTI JOIN search.quote_lengths USING (quote_id);
INSERT INTO search.quote_lengths SELECT quote_id, count(*) FROM new_tokens GROUP BY quote_id;
INSERT INTO search.quote_terms SELECT quote_id, term, count(*) FROM new_tokens GROUP BY ALL;
DROP TABLE new_tokens;

-- BM25 (k1 = 1.2, b = 0.75, idf as Lucene's): one row per sentence with a query term, its score and how
-- many distinct query terms it has. In the DuckDB shell: LOAD the FTS extension's file, then
--   SELECT * FROM search.sentences_bm25('Atomwaffen Belarus') ORDER BY score DESC LIMIT 10;
CREATE OR REPLACE MACRO search.sentences_bm25(query) AS TABLE
WITH query_terms AS (
    SELECT DISTINCT stem(unnest(regexp_extract_all(lower(query), '[\p{L}\p{N}]+')), 'german') AS term
),
stats AS (SELECT count(*) AS n, avg(length) AS mean_length FROM search.sentence_lengths),
frequency AS (
    SELECT term, count(*) AS df FROM search.sentence_terms WHERE term IN (SELECT term FROM query_terms) GROUP BY term
)
SELECT
    t.sentence_id,
    sum(ln(1 + (stats.n - f.df + 0.5) / (f.df + 0.5)) * t.tf * 2.2
        / (t.tf + 1.2 * (0.25 + 0.75 * l.length / stats.mean_length))) AS score,
    count(*) AS terms_matched,
    (SELECT count(*) FROM query_terms) AS query_terms
FROM search.sentence_terms AS t
JOIN frequency AS f USING (term)
JOIN search.sentence_lengths AS l USING (sentence_id)
CROSS JOIN stats
GROUP BY t.sentence_id;

CREATE OR REPLACE MACRO search.quotes_bm25(query) AS TABLE
WITH query_terms AS (
    SELECT DISTINCT stem(unnest(regexp_extract_all(lower(query), '[\p{L}\p{N}]+')), 'german') AS term
),
stats AS (SELECT count(*) AS n, avg(length) AS mean_length FROM search.quote_lengths),
frequency AS (
    SELECT term, count(*) AS df FROM search.quote_terms WHERE term IN (SELECT term FROM query_terms) GROUP BY term
)
SELECT
    t.quote_id,
    sum(ln(1 + (stats.n - f.df + 0.5) / (f.df + 0.5)) * t.tf * 2.2
        / (t.tf + 1.2 * (0.25 + 0.75 * l.length / stats.mean_length))) AS score,
    count(*) AS terms_matched,
    (SELECT count(*) FROM query_terms) AS query_terms
FROM search.quote_terms AS t
JOIN frequency AS f USING (term)
JOIN search.quote_lengths AS l USING (quote_id)
CROSS JOIN stats
GROUP BY t.quote_id;
