-- Mentions per month of the ten people mentioned most in dated documents (undated ones have no place on
-- a time axis).
WITH top AS (
    SELECT canonical
    FROM entity_counts_by_month
    WHERE label = 'PER' AND month >= DATE '1900-01-01'
    GROUP BY canonical
    ORDER BY sum(mentions) DESC, canonical
    LIMIT 10
)
SELECT c.canonical, c.month, c.mentions
FROM entity_counts_by_month AS c
JOIN top USING (canonical)
WHERE c.label = 'PER' AND c.month >= DATE '1900-01-01'
ORDER BY c.canonical, c.month;
