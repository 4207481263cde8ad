-- Sentences ranked by BM25 for $query (German stemming), best first, with their document's headline and
-- address where its source gave them; $all_terms = 1 keeps only sentences with every word.
SELECT m.score, d.published, s.text AS sentence, d.title, d.url, s.sentence_id, d.source_path
FROM search.bm25($query, 'sentence') AS m
JOIN sentences AS s ON s.sentence_id = m.id
JOIN documents AS d USING (doc_id)
WHERE $all_terms = 0 OR m.terms_matched = m.query_terms
ORDER BY m.score DESC, s.sentence_id
LIMIT $limit
;
