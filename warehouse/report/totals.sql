-- The report's headline: rows in the three main tables.
SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM sentences), (SELECT count(*) FROM entities);
