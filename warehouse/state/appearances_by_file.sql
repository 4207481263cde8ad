-- Every (path, content) a run read a text from, document or copy: the distinct texts read from it, and how many
-- appearances it gave (a file of a million records of a thousand texts: a thousand ids, not a million rows).
SELECT source_path, source_sha256, list(DISTINCT doc_id ORDER BY doc_id), count(*) FROM appearances GROUP BY ALL;
