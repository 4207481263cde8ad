-- The `places` rows of the names a curation rule touched (`touched_names`), before the rule.
SELECT canonical, geonames_id FROM places WHERE canonical IN (SELECT name FROM touched_names);
