-- The search index: the terms (lower case, German Snowball stems from the FTS extension's stem()) and
-- lengths of every sentence and quotation, with BM25 as a table macro over them. Each load indexes only
-- the rows not indexed yet (an anti-join on the lengths), so a run that adds one file indexes one file's
-- rows, however large the warehouse; a warehouse from before this index is indexed in full by its next load.
CREATE SCHEMA IF NOT EXISTS search;
-- kind: 'sentence' (id = sentences.sentence_id) or 'quote' (id = quotes.quote_id)
CREATE TABLE IF NOT EXISTS search.terms (kind VARCHAR NOT NULL, id VARCHAR NOT NULL, term VARCHAR NOT NULL, tf INTEGER NOT NULL);
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
-- A row's length counts its words; its terms join each word to its stem on the way into the grouping (a
-- table of the joined rows first cost 0.3-0.5 s more at 10,000 documents and held 4.8 million rows).
INSERT INTO search.lengths SELECT kind, id, count(*) FROM new_words GROUP BY kind, id;
INSERT INTO search.terms SELECT kind, id, term, count(*) FROM new_words JOIN new_stems USING (word) GROUP BY ALL;
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
frequency AS (
    SELECT term, count(*) AS df
    FROM search.terms
    WHERE kind = of_kind AND term IN (SELECT term FROM query_terms)
    GROUP BY term
)
SELECT
    t.id,
    sum(ln(1 + (stats.n - f.df + 0.5) / (f.df + 0.5)) * t.tf * 2.2
        / (t.tf + 1.2 * (0.25 + 0.75 * l.length / stats.mean_length))) AS score,
    count(*) AS terms_matched,
    (SELECT count(*) FROM query_terms) AS query_terms
FROM search.terms AS t
JOIN frequency AS f USING (term)
JOIN search.lengths AS l ON l.kind = t.kind AND l.id = t.id
CROSS JOIN stats
WHERE t.kind = of_kind
GROUP BY t.id;
