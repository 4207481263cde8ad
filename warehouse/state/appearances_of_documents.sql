-- The same of a warehouse from before `appearances` existed: each document's own source was its one
-- appearance (the next run that writes it fills `appearances` so).
SELECT source_path, source_sha256, doc_id, url, outlet FROM documents;
