-- What tells each appearance from another (its url, else its outlet, else its path: appearance_key), of every text.
SELECT doc_id, url, outlet, source_path FROM appearances;
