-- Every (path, content) a run read a text from, document or copy, and what tells that appearance from
-- another (its url, else its outlet, else its path).
SELECT source_path, source_sha256, doc_id, url, outlet FROM appearances;
