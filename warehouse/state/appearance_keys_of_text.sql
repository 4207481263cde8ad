-- What tells each appearance of one text from another (its url, else its outlet, else its path: appearance_key).
SELECT doc_id, url, outlet, source_path FROM appearances WHERE doc_id = $doc_id;
