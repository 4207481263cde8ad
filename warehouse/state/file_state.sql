-- Each input path as a run last read it: a file whose size and mtime still match is not read again.
SELECT source_path, n_bytes, mtime_ns, source_sha256 FROM file_state;
