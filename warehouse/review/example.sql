-- The words around a mention of a review row: up to $width characters of its document's text on each
-- side, the mention between brackets, lines joined. Offsets count code points, as DuckDB's substring() does.
SELECT
    CASE WHEN $start > $width THEN '…' ELSE '' END
    || regexp_replace(substring(text, greatest($start - $width, 0) + 1, $start - greatest($start - $width, 0)), '\s+', ' ', 'g')
    || '[' || substring(text, $start + 1, $end - $start) || ']'
    || regexp_replace(substring(text, $end + 1, $width), '\s+', ' ', 'g')
    || CASE WHEN length(text) > $end + $width THEN '…' ELSE '' END AS example
FROM documents
WHERE doc_id = $doc_id;
