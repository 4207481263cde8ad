-- Every (path, content, record) a run rejected, with why (record NULL: the whole file).
SELECT source_path, source_sha256, source_record, reason, detail FROM rejects;
