-- Places to review: one row per place name (`places`) with no GeoNames entry ("USA", "Bayern", a building,
-- a misread name) that current documents mention, most mentions first, $limit rows (`total` counts them
-- all). The detail gives how the documents write it.
WITH unlinked AS (
    SELECT p.canonical, count(*) AS mentions, count(DISTINCT e.doc_id) AS documents,
           list(DISTINCT e.text ORDER BY e.text) AS written
    FROM places AS p
    JOIN current_entities AS e ON e.canonical = p.canonical AND e.label = 'LOC'
    WHERE p.geonames_id IS NULL
    GROUP BY p.canonical
),
ranked AS (
    SELECT *, count(*) OVER () AS total
    FROM unlinked
    ORDER BY mentions DESC, canonical
    LIMIT $limit
)
SELECT
    r.canonical AS name,
    'written ' || array_to_string(r.written[1:3], ', ') || CASE WHEN len(r.written) > 3 THEN ', …' ELSE '' END AS detail,
    any_value(r.mentions) AS mentions,
    any_value(r.documents) AS documents,
    first(e.doc_id ORDER BY e.doc_id, e.start_char) AS example_doc,
    first(e.start_char ORDER BY e.doc_id, e.start_char) AS example_start,
    first(e.end_char ORDER BY e.doc_id, e.start_char) AS example_end,
    any_value(r.total) AS total
FROM ranked AS r
JOIN current_entities AS e ON e.canonical = r.canonical AND e.label = 'LOC'
GROUP BY r.canonical, r.written
ORDER BY mentions DESC, name;
