-- The outlets that carried most documents (`documents_by_outlet`: a wire story counts for each outlet that
-- carried it), with how many were copies, their first and last plausible day, their quotations, and the
-- speaker quoted most there. Texts without an outlet (text files) are left out.
WITH per_outlet AS (
    SELECT
        outlet,
        sum(documents) AS documents,
        sum(copies) AS copies,
        min(day) FILTER (WHERE day BETWEEN DATE '1900-01-01' AND current_date) AS first_day,
        max(day) FILTER (WHERE day BETWEEN DATE '1900-01-01' AND current_date) AS last_day,
        sum(quotations) AS quotations
    FROM documents_by_outlet
    WHERE outlet IS NOT NULL
    GROUP BY outlet
),
quoted_most AS (
    SELECT outlet, first(speaker ORDER BY quotations DESC, speaker) AS speaker
    FROM quotes_by_outlet
    WHERE outlet IS NOT NULL
    GROUP BY outlet
)
SELECT p.outlet, p.documents, p.copies, p.first_day, p.last_day, p.quotations, q.speaker
FROM per_outlet AS p
LEFT JOIN quoted_most AS q USING (outlet)
ORDER BY p.documents DESC, p.outlet;
