-- Every (path, content) a run rejected, with why.
SELECT source_path, source_sha256, reason, detail FROM rejects;
