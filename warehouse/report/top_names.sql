-- The fifteen people, organisations and places mentioned most: the rows and columns of the "who with
-- whom" grid (other names, such as currencies, say nothing about who meets whom).
SELECT canonical FROM entity_names WHERE label IN ('PER', 'ORG', 'LOC') ORDER BY mentions DESC, canonical LIMIT 15;
