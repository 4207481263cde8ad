-- The report's headline: current documents (one version of each item of news), their sentences and
-- entity mentions, and the earlier versions kept beside them.
SELECT
    (SELECT count(*) FROM current_documents),
    (SELECT count(*) FROM current_sentences),
    (SELECT count(*) FROM current_entities),
    (SELECT count(*) FROM documents) - (SELECT count(*) FROM current_documents);
