-- The changed quotations out of the search index (a quotation is found by its speaker's name too): the
-- next index update (warehouse/search/index.sql) indexes them again, with their names as they are now.
DELETE FROM search.occurrences WHERE kind = 'quote' AND id IN (SELECT id FROM changed_quotes);
DELETE FROM search.lengths WHERE kind = 'quote' AND id IN (SELECT id FROM changed_quotes);
