-- Speakers to review: one row per speaker name that is a place, labelled LOC by the quotation stage or a
-- place name of `places` ("Österreich", "Kabul" from "wie das Verteidigungsministerium in Kabul
-- mitteilte"), most quotations first, $limit rows (`total` counts them all). A state can speak ("Russland
-- warnte"); a place taken from a prepositional phrase cannot. The example is the speaker mention.
WITH place_speakers AS (
    SELECT q.speaker_canonical AS canonical,
           string_agg(DISTINCT coalesce(q.speaker_label, '?'), '/' ORDER BY coalesce(q.speaker_label, '?')) AS labels,
           bool_or(p.canonical IS NOT NULL) AS a_place_name,
           count(*) AS mentions,
           count(DISTINCT q.doc_id) AS documents
    FROM current_quotes AS q
    LEFT JOIN places AS p ON p.canonical = q.speaker_canonical
    WHERE q.speaker_canonical IS NOT NULL AND (q.speaker_label = 'LOC' OR p.canonical IS NOT NULL)
    GROUP BY q.speaker_canonical
),
ranked AS (
    SELECT *, count(*) OVER () AS total
    FROM place_speakers
    ORDER BY mentions DESC, canonical
    LIMIT $limit
)
SELECT
    r.canonical AS name,
    'speaker labelled ' || r.labels || CASE WHEN r.a_place_name THEN ', a place name' ELSE '' END AS detail,
    any_value(r.mentions) AS mentions,
    any_value(r.documents) AS documents,
    first(q.doc_id ORDER BY q.doc_id, q.start_char) AS example_doc,
    first(coalesce(q.speaker_start_char, q.start_char) ORDER BY q.doc_id, q.start_char) AS example_start,
    first(coalesce(q.speaker_end_char, q.end_char) ORDER BY q.doc_id, q.start_char) AS example_end,
    any_value(r.total) AS total
FROM ranked AS r
JOIN current_quotes AS q ON q.speaker_canonical = r.canonical
GROUP BY r.canonical, r.labels, r.a_place_name
ORDER BY mentions DESC, name;
