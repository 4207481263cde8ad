-- Who is mentioned most? People by mentions, with the number of documents and the names used.
SELECT canonical AS person, mentions, documents, variants
FROM entity_names
WHERE label = 'PER'
ORDER BY mentions DESC, person
LIMIT 10;
