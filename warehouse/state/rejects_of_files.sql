-- Every (path, content) a run rejected, with why, in a warehouse from before rejects had source_record
-- (every reject then was of a whole file); the next run that writes it adds the column.
SELECT source_path, source_sha256, NULL AS source_record, reason, detail FROM rejects;
