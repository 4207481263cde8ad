-- The same of a warehouse from before documents had a url or an outlet (textlake 0.1.0): every appearance
-- is told apart by its path.
SELECT source_path, source_sha256, doc_id, NULL AS url, NULL AS outlet FROM documents;
