-- Each input path as a run last read it, in a warehouse from before file_state had etag (every input then was
-- a local file); the next run that writes it adds the column.
SELECT source_path, n_bytes, mtime_ns, source_sha256 FROM file_state;
