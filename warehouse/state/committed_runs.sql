-- Runs the warehouse committed: their staged files, if any are left after a crash, belong in the lake.
SELECT run_id FROM runs;
