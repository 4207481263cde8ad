-- The report's line about outlets: how many there are, the documents they carried (wire copies counted for
-- each outlet) and how many of those were copies, and the documents without an outlet (text files).
SELECT
    count(DISTINCT outlet),
    count(*) FILTER (WHERE outlet IS NOT NULL),
    count(*) FILTER (WHERE outlet IS NOT NULL AND is_copy),
    count(*) FILTER (WHERE outlet IS NULL)
FROM current_appearances;
