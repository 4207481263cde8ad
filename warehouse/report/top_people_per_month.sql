-- Mentions per month of the ten people mentioned most.
WITH top AS (SELECT canonical FROM entity_names WHERE label = 'PER' ORDER BY mentions DESC, canonical LIMIT 10)
SELECT c.canonical, c.month, c.mentions
FROM entity_counts_by_month AS c
JOIN top USING (canonical)
WHERE c.label = 'PER' AND c.month >= DATE '1900-01-01'
ORDER BY c.canonical, c.month;
