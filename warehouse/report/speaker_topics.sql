-- Who talks about whom: top speakers against the entities named most inside quotations.
WITH speakers AS (SELECT speaker FROM quotes_by_speaker ORDER BY quotations DESC, speaker LIMIT 8),
named AS (
    SELECT named FROM quote_topics WHERE speaker IN (SELECT speaker FROM speakers)
    GROUP BY named ORDER BY sum(mentions) DESC, named LIMIT 8
)
SELECT t.speaker, t.named, t.quotations
FROM quote_topics AS t
WHERE t.speaker IN (SELECT speaker FROM speakers) AND t.named IN (SELECT named FROM named)
ORDER BY t.speaker, t.named;
