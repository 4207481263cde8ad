-- Names to review: one row per canonical name that current documents give more than one label ("Irmgard
-- Griss" a person in 12 documents, an organisation in 4), most mentions first, $limit rows (`total`
-- counts them all). The example is the first mention under the label fewest documents give the name: the
-- likelier mistake.
WITH per_label AS (
    SELECT canonical, label, count(*) AS mentions, count(DISTINCT doc_id) AS documents
    FROM current_entities
    GROUP BY canonical, label
),
conflicts AS (
    SELECT
        canonical,
        string_agg(label || ' in ' || documents || CASE WHEN documents = 1 THEN ' document' ELSE ' documents' END,
                   ', ' ORDER BY documents DESC, label) AS detail,
        sum(mentions) AS mentions,
        first(label ORDER BY documents, label) AS rarest_label
    FROM per_label
    GROUP BY canonical
    HAVING count(*) > 1
),
ranked AS (
    SELECT *, count(*) OVER () AS total
    FROM conflicts
    ORDER BY mentions DESC, canonical
    LIMIT $limit
)
SELECT
    r.canonical AS name,
    any_value(r.detail) AS detail,
    any_value(r.mentions) AS mentions,
    count(DISTINCT e.doc_id) AS documents,
    first(e.doc_id ORDER BY e.label <> r.rarest_label, e.doc_id, e.start_char) AS example_doc,
    first(e.start_char ORDER BY e.label <> r.rarest_label, e.doc_id, e.start_char) AS example_start,
    first(e.end_char ORDER BY e.label <> r.rarest_label, e.doc_id, e.start_char) AS example_end,
    any_value(r.total) AS total
FROM ranked AS r
JOIN current_entities AS e ON e.canonical = r.canonical
GROUP BY r.canonical
ORDER BY mentions DESC, name;
