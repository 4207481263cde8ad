-- Quotations ranked by BM25 for $query over their text and speaker (German stemming), best first;
-- $all_terms = 1 keeps only quotations with every word.
SELECT q.score, d.published, coalesce(q.speaker_canonical, q.speaker) AS speaker, q.kind, q.text AS quotation,
       q.quote_id, d.source_path
FROM (
    SELECT *, fts_main_quotes.match_bm25(quote_id, $query, conjunctive := $all_terms) AS score
    FROM quotes
) AS q
JOIN documents AS d USING (doc_id)
WHERE q.score IS NOT NULL
ORDER BY q.score DESC, q.quote_id
LIMIT $limit
;
