-- Documents per month of the ten outlets that carried most (wire copies counted for each), plausible
-- months only. An outlet of the ten without a dated document has one row with a NULL month.
WITH top AS (
    SELECT outlet, row_number() OVER (ORDER BY sum(documents) DESC, outlet) AS rank
    FROM documents_by_outlet
    WHERE outlet IS NOT NULL
    GROUP BY outlet
    ORDER BY rank
    LIMIT 10
),
months AS (
    SELECT outlet, date_trunc('month', day)::DATE AS month, sum(documents)::BIGINT AS documents
    FROM documents_by_outlet
    WHERE day BETWEEN DATE '1900-01-01' AND current_date
    GROUP BY ALL
)
SELECT t.outlet, m.month, coalesce(m.documents, 0) AS documents
FROM top AS t
LEFT JOIN months AS m USING (outlet)
ORDER BY t.rank, m.month;
