-- Each input path (or object URL) as a run last read it: a file whose size and mtime still match (an object:
-- size and entity tag) is not read again.
SELECT source_path, n_bytes, mtime_ns, source_sha256, etag FROM file_state;
