-- Each input path (or object URL) as a run last read it: a file whose size and mtime still match (an object:
-- size and entity tag) is not read again. Every column, read by name: a warehouse from before a column was
-- added lacks it (textlake/warehouse/state.py).
SELECT * FROM file_state;
