-- Which outlets quote whom: the eight speakers quoted by most outlets (then with most quotations), and of
-- the outlets that quote them the eight that quote them most (a wire story counted for each outlet that
-- carried it). Texts without an outlet are left out.
WITH quoted AS (
    SELECT outlet, speaker, sum(quotations)::BIGINT AS quotations
    FROM quotes_by_outlet
    WHERE outlet IS NOT NULL
    GROUP BY ALL
),
speakers AS (
    SELECT speaker, row_number() OVER (ORDER BY count(*) DESC, sum(quotations) DESC, speaker) AS rank
    FROM quoted
    GROUP BY speaker
    ORDER BY rank
    LIMIT 8
),
outlets AS (
    SELECT outlet FROM quoted WHERE speaker IN (SELECT speaker FROM speakers) GROUP BY outlet
    ORDER BY sum(quotations) DESC, outlet
    LIMIT 8
)
SELECT q.speaker, q.outlet, q.quotations
FROM quoted AS q
JOIN speakers AS s USING (speaker)
WHERE q.outlet IN (SELECT outlet FROM outlets)
ORDER BY s.rank, q.outlet;
