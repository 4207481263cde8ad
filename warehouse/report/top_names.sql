-- The fifteen names mentioned most, any label: the rows and columns of the co-occurrence grid.
SELECT canonical FROM entity_names ORDER BY mentions DESC, canonical LIMIT 15;
