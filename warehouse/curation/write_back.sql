-- The curated rows written back (textlake/warehouse/curation.py registers them): mentions of dropped names
-- out, changed names and labels of mentions and speakers in, and each document's n_entities lowered by the
-- mentions it lost, so that it still counts its rows.
DELETE FROM entities WHERE entity_id IN (SELECT entity_id FROM removed_entities);
UPDATE entities SET canonical = c.canonical, label = c.label
FROM curated_entities AS c
WHERE entities.entity_id = c.entity_id;
UPDATE quotes SET speaker_canonical = c.speaker_canonical, speaker_label = c.speaker_label,
                  speaker_entity_id = c.speaker_entity_id
FROM curated_quotes AS c
WHERE quotes.quote_id = c.quote_id;
UPDATE documents SET n_entities = documents.n_entities - r.removed
FROM removed_per_document AS r
WHERE documents.doc_id = r.doc_id;
