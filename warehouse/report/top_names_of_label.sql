-- The ten names of one label mentioned most ($label: PER, LOC, ORG or MISC).
SELECT canonical, mentions
FROM entity_names
WHERE label = $label
ORDER BY mentions DESC, canonical
LIMIT 10;
