-- Source paths stored relative to the working directory of the run that read them (warehouses written
-- before textlake stored resolved absolute paths). An object's URL (s3://bucket/key) is no relative path.
SELECT source_path FROM documents WHERE source_path NOT LIKE '/%' AND source_path NOT LIKE '%://%'
UNION SELECT source_path FROM rejects WHERE source_path NOT LIKE '/%' AND source_path NOT LIKE '%://%'
UNION SELECT source_path FROM file_state WHERE source_path NOT LIKE '/%' AND source_path NOT LIKE '%://%';
