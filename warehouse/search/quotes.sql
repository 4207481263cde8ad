-- Quotations ranked by BM25 for $query over their text and speaker (German stemming), best first, with their
-- document's headline and address where its source gave them; $all_terms = 1 keeps only quotations with
-- every word.
SELECT m.score, d.published, coalesce(q.speaker_canonical, q.speaker) AS speaker, q.kind, q.text AS quotation,
       d.title, d.url, q.quote_id, d.source_path
FROM search.bm25($query, 'quote') AS m
JOIN quotes AS q ON q.quote_id = m.id
JOIN documents AS d USING (doc_id)
WHERE $all_terms = 0 OR m.terms_matched = m.query_terms
ORDER BY m.score DESC, q.quote_id
LIMIT $limit
;
