-- Documents and sentences per month of publication, plausible months only: a placeholder date
-- (0001-01-01) in a source would stretch the axis over two thousand years.
SELECT month, documents, sentences
FROM documents_by_month
WHERE month BETWEEN DATE '1900-01-01' AND current_date
ORDER BY month;
