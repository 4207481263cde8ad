-- In which sentences? Every sentence that names both Belarus and Russland, with the document's date.
SELECT m.published, m.sentence, m.source_path
FROM entity_mentions AS m
WHERE m.canonical = 'Belarus'
  AND m.sentence_id IN (SELECT sentence_id FROM entities WHERE canonical = 'Russland')
GROUP BY ALL
ORDER BY m.published, m.sentence;
