-- A warehouse from before `appearances` existed: each document's own source becomes its appearance, the row
-- a run now writes with every document (is_copy false). Copies that earlier runs rejected as `duplicate`
-- stay rejects: their url, outlet and title were not kept.
INSERT INTO appearances BY NAME
SELECT doc_id, source_path, source_sha256, source_record, url, outlet, title, published, published_precision,
       false AS is_copy, run_id, ingested_at
FROM documents;
