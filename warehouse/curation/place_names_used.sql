-- Of the names a curation rule touched (`touched_names`), those a place mention (label LOC) uses now.
SELECT DISTINCT canonical FROM entities WHERE label = 'LOC' AND canonical IN (SELECT name FROM touched_names);
