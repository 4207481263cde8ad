-- Names to review: one row per person named by one word alone ("Hofer", "Jobs", "Men"), a surname the
-- documents never joined to a full name, most mentions first, $limit rows (`total` counts them all). The
-- detail gives the full person names in the warehouse that end in it: one is the likely person (merge it),
-- none or several leave it to the reader.
WITH surnames AS (
    SELECT canonical, count(*) AS mentions, count(DISTINCT doc_id) AS documents
    FROM current_entities
    WHERE label = 'PER' AND canonical NOT LIKE '% %'
    GROUP BY canonical
),
ranked AS (
    SELECT *, count(*) OVER () AS total
    FROM surnames
    ORDER BY mentions DESC, canonical
    LIMIT $limit
),
full_names AS (
    SELECT r.canonical, list(DISTINCT e.canonical ORDER BY e.canonical) AS names
    FROM ranked AS r
    JOIN current_entities AS e ON e.label = 'PER' AND e.canonical LIKE '% ' || r.canonical
    GROUP BY r.canonical
)
SELECT
    r.canonical AS name,
    CASE
        WHEN f.names IS NULL THEN 'no full name ends in it'
        WHEN len(f.names) = 1 THEN 'one full name ends in it: ' || f.names[1]
        ELSE len(f.names) || ' full names end in it: ' || array_to_string(f.names[1:3], ', ')
             || CASE WHEN len(f.names) > 3 THEN ', …' ELSE '' END
    END AS detail,
    any_value(r.mentions) AS mentions,
    any_value(r.documents) AS documents,
    first(e.doc_id ORDER BY e.doc_id, e.start_char) AS example_doc,
    first(e.start_char ORDER BY e.doc_id, e.start_char) AS example_start,
    first(e.end_char ORDER BY e.doc_id, e.start_char) AS example_end,
    any_value(r.total) AS total
FROM ranked AS r
LEFT JOIN full_names AS f USING (canonical)
JOIN current_entities AS e ON e.canonical = r.canonical AND e.label = 'PER'
GROUP BY r.canonical, f.names
ORDER BY mentions DESC, name;
