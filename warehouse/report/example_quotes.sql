-- An example quotation for each of the top speakers: their longest direct one, else their longest.
-- `published` as much of it as the source gave: '2022-06' for a month, '2022-06-03 14:05 UTC' for a minute.
SELECT speaker_canonical, kind, text,
       CASE published_precision
           WHEN 'year' THEN strftime(published, '%Y')
           WHEN 'month' THEN strftime(published, '%Y-%m')
           WHEN 'day' THEN strftime(published, '%Y-%m-%d')
           WHEN 'minute' THEN strftime(published, '%Y-%m-%d %H:%M UTC')
           ELSE strftime(published, '%Y-%m-%d %H:%M:%S UTC')
       END AS published
FROM (
    SELECT q.*, d.published, d.published_precision,
           row_number() OVER (PARTITION BY q.speaker_canonical ORDER BY q.kind = 'direct' DESC, length(q.text) DESC, q.quote_id) AS pick
    FROM current_quotes AS q JOIN current_documents AS d USING (doc_id)
    WHERE q.speaker_canonical IN (SELECT speaker FROM quotes_by_speaker ORDER BY quotations DESC, speaker LIMIT 10)
)
WHERE pick = 1
ORDER BY speaker_canonical;
