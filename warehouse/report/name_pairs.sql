-- Sentences naming both of a pair of names, labels added up.
SELECT entity_a, entity_b, sum(sentences) FROM entity_cooccurrence GROUP BY ALL;
