-- When? Monthly mentions of the ten most mentioned names.
WITH top AS (
    SELECT canonical, label FROM entity_names ORDER BY mentions DESC, canonical LIMIT 10
)
SELECT c.month, c.canonical, c.label, c.mentions, c.documents
FROM entity_counts_by_month AS c
JOIN top USING (canonical, label)
ORDER BY c.month, c.mentions DESC, c.canonical;
