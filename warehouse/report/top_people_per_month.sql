-- Mentions per month of the ten people mentioned most (the people of the report's bar chart, in its
-- order), in dated documents: undated ones have no place on a time axis. A person of the ten with no dated
-- mention has one row with a NULL month.
WITH top AS (
    SELECT canonical, row_number() OVER (ORDER BY mentions DESC, canonical) AS rank
    FROM entity_names
    WHERE label = 'PER'
    ORDER BY mentions DESC, canonical
    LIMIT 10
)
SELECT t.canonical, c.month, coalesce(c.mentions, 0) AS mentions
FROM top AS t
LEFT JOIN entity_counts_by_month AS c
    ON c.canonical = t.canonical AND c.label = 'PER' AND c.month >= DATE '1900-01-01'
ORDER BY t.rank, c.month;
