-- The speakers quoted most (resolved to an entity), with their quotations by kind.
SELECT speaker, label, quotations, direct, indirect, continued + reported AS other, documents
FROM quotes_by_speaker
ORDER BY quotations DESC, speaker
LIMIT 10;
