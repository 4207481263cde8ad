-- Documents an earlier release staged (its run found the warehouse busy, and this release loads them): it
-- staged no appearances, so each loaded document gets its own here, as a run now writes it with the
-- document. The staged documents' Parquet file is the one parameter.
INSERT INTO appearances BY NAME
SELECT doc_id, source_path, source_sha256, source_record, url, outlet, title, published, published_precision,
       false AS is_copy, run_id, ingested_at
FROM documents
WHERE doc_id IN (SELECT doc_id FROM read_parquet(?))
  AND doc_id NOT IN (SELECT doc_id FROM appearances);
