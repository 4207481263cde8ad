-- The quotations a curation rule may change: those whose speaker name a rule names (`rule_names`), and those
-- whose speaker is a mention of a dropped name (`dropped_names`).
SELECT quote_id, speaker_canonical, speaker_label, speaker_entity_id
FROM quotes
WHERE speaker_canonical IN (SELECT name FROM rule_names)
   OR speaker_entity_id IN (SELECT entity_id FROM entities WHERE canonical IN (SELECT name FROM dropped_names));
