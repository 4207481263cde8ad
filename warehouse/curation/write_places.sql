-- Place names no place mention uses any more out; those linked anew (added, or pinned to another place) in.
DELETE FROM places WHERE canonical IN (SELECT name FROM places_removed);
INSERT OR REPLACE INTO places BY NAME SELECT * FROM places_renewed;
