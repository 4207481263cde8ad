-- The entity mentions a curation rule may change: those whose canonical name a rule names (`rule_names`).
SELECT entity_id, doc_id, canonical, label
FROM entities
WHERE canonical IN (SELECT name FROM rule_names);
