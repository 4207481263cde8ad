-- Of the doc_ids $doc_ids (those a run's copies name), the ones the warehouse has as documents.
SELECT doc_id FROM documents WHERE doc_id IN (SELECT unnest($doc_ids::VARCHAR[]));
