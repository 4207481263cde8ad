-- The doc_ids a run's appearances name that are not among its own documents: copies of texts that earlier
-- runs made documents of (run over the staged Parquet; warehouse/checks/earlier_documents.sql finds them).
SELECT DISTINCT doc_id FROM appearances WHERE doc_id NOT IN (SELECT doc_id FROM documents);
