-- Sentences ranked by BM25 for $query (German stemming), best first; $all_terms = 1 keeps only sentences
-- with every word.
SELECT s.score, d.published, s.text AS sentence, s.sentence_id, d.source_path
FROM (
    SELECT *, fts_main_sentences.match_bm25(sentence_id, $query, conjunctive := $all_terms) AS score
    FROM sentences
) AS s
JOIN documents AS d USING (doc_id)
WHERE s.score IS NOT NULL
ORDER BY s.score DESC, s.sentence_id
LIMIT $limit
;
