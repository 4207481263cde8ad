-- One file's rows from the relative path it was read by to its absolute path ($old → $new). Where a later
-- run already recorded the absolute path (run from another directory), its newer row is kept.
UPDATE documents SET source_path = $new WHERE source_path = $old;
UPDATE appearances SET source_path = $new WHERE source_path = $old;
DELETE FROM rejects WHERE source_path = $old AND source_sha256 IN (SELECT source_sha256 FROM rejects WHERE source_path = $new);
UPDATE rejects SET source_path = $new WHERE source_path = $old;
DELETE FROM file_state WHERE source_path = $old AND EXISTS (SELECT 1 FROM file_state WHERE source_path = $new);
UPDATE file_state SET source_path = $new WHERE source_path = $old;
