-- With whom? The names that share a sentence with Wladimir Putin most often.
SELECT
    CASE WHEN entity_a = 'Wladimir Putin' THEN entity_b ELSE entity_a END AS named_with,
    CASE WHEN entity_a = 'Wladimir Putin' THEN label_b ELSE label_a END AS label,
    sentences,
    documents
FROM entity_cooccurrence
WHERE 'Wladimir Putin' IN (entity_a, entity_b) AND sentences > 0
ORDER BY sentences DESC, documents DESC, named_with
LIMIT 10;
