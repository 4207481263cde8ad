-- Rejected files per reason, most first.
SELECT reason, count(*) FROM rejects GROUP BY reason ORDER BY 2 DESC;
