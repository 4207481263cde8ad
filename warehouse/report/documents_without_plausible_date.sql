-- Documents the per-month chart leaves out: no date, or one before 1900 or in the future.
SELECT coalesce(sum(documents), 0)
FROM documents_by_month
WHERE NOT coalesce(month BETWEEN DATE '1900-01-01' AND current_date, false);
