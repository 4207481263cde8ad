-- The search index: the terms (lower case, German Snowball stems from the FTS extension's stem()) and
-- lengths of every sentence and quotation, with BM25 as a table macro over them. Each load indexes only
-- the rows not indexed yet (an anti-join on the lengths), so a run that adds one file indexes one file's
-- rows, however large the warehouse; a warehouse from before this index is indexed in full by its next load.
CREATE SCHEMA IF NOT EXISTS search;
-- kind: 'sentence' (id = sentences.sentence_id) or 'quote' (id = quotes.quote_id).
-- One row per word of a row, as its term: a term's frequency in a row is counted at query time, over the
-- query's terms only. Counted at load, per row and term, it cost the load 2.6-3.5 s of CPU at 10,000
-- documents (4.5 million groups) for 7% fewer rows. (The `search.terms` of earlier versions, with those
-- counts, is dropped by textlake/warehouse/search.py, and the warehouse indexed again in full.)
CREATE TABLE IF NOT EXISTS search.occurrences (kind VARCHAR NOT NULL, id VARCHAR NOT NULL, term VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS search.lengths (kind VARCHAR NOT NULL, id VARCHAR NOT NULL, length INTEGER NOT NULL);

-- Words first, then each distinct word stemmed once: a corpus repeats its words (1,028 news articles:
-- 386,000 words, 48,000 distinct; the share falls as a corpus grows), and stem() per word cost ~20% of the
-- index's time (10,000 documents: 5.7-5.9 s → 4.4-4.7 s, the same terms).
CREATE OR REPLACE TEMP TABLE new_words AS
SELECT 'sentence' AS kind, sentence_id AS id, unnest(regexp_extract_all(lower(text), '[\p{L}\p{N}]+')) AS word
FROM sentences
WHERE sentence_id NOT IN (SELECT id FROM search.lengths WHERE kind = 'sentence')
UNION ALL
-- a quotation is found by its words and by its speaker's, as written and as canonical name
SELECT 'quote', quote_id, unnest(regexp_extract_all(lower(concat_ws(' ', text, speaker, speaker_canonical)), '[\p{L}\p{N}]+'))
FROM quotes
WHERE quote_id NOT IN (SELECT id FROM search.lengths WHERE kind = 'quote');
CREATE OR REPLACE TEMP TABLE new_stems AS
SELECT word, stem(word, 'german') AS term FROM (SELECT DISTINCT word FROM new_words);
-- A row's length counts its words.
INSERT INTO search.lengths SELECT kind, id, count(*) FROM new_words GROUP BY kind, id;
INSERT INTO search.occurrences SELECT kind, id, term FROM new_words JOIN new_stems USING (word);
DROP TABLE new_words;
DROP TABLE new_stems;

-- BM25 (k1 = 1.2, b = 0.75, idf as Lucene's) over one kind: one row per sentence or quotation with a query
-- term, its score and how many distinct query terms it has. In the DuckDB shell: LOAD the FTS extension's
-- file, then  SELECT * FROM search.bm25('Atomwaffen Belarus', 'sentence') ORDER BY score DESC LIMIT 10;
CREATE OR REPLACE MACRO search.bm25(query, of_kind) AS TABLE
WITH query_terms AS (
    SELECT DISTINCT stem(unnest(regexp_extract_all(lower(query), '[\p{L}\p{N}]+')), 'german') AS term
),
stats AS (SELECT count(*) AS n, avg(length) AS mean_length FROM search.lengths WHERE kind = of_kind),
matches AS (  -- tf: how often a query term occurs in a row
    SELECT id, term, count(*) AS tf
    FROM search.occurrences
    WHERE kind = of_kind AND term IN (SELECT term FROM query_terms)
    GROUP BY id, term
),
frequency AS (SELECT term, count(*) AS df FROM matches GROUP BY term)  -- df: rows with the term
SELECT
    t.id,
    sum(ln(1 + (stats.n - f.df + 0.5) / (f.df + 0.5)) * t.tf * 2.2
        / (t.tf + 1.2 * (0.25 + 0.75 * l.length / stats.mean_length))) AS score,
    count(*) AS terms_matched,
    (SELECT count(*) FROM query_terms) AS query_terms
FROM matches AS t
JOIN frequency AS f USING (term)
JOIN search.lengths AS l ON l.kind = of_kind AND l.id = t.id
CROSS JOIN stats
GROUP BY t.id;
