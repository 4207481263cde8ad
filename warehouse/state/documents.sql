-- Every (path, content) a run made a document of.
SELECT source_path, source_sha256, doc_id FROM documents;
