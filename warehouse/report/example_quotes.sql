-- An example quotation for each of the top speakers: their longest direct one, else their longest.
SELECT speaker_canonical, kind, text, published
FROM (
    SELECT q.*, d.published,
           row_number() OVER (PARTITION BY q.speaker_canonical ORDER BY q.kind = 'direct' DESC, length(q.text) DESC, q.quote_id) AS pick
    FROM quotes AS q JOIN documents AS d USING (doc_id)
    WHERE q.speaker_canonical IN (SELECT speaker FROM quotes_by_speaker ORDER BY quotations DESC, speaker LIMIT 10)
)
WHERE pick = 1
ORDER BY speaker_canonical;
