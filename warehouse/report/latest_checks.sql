-- The checks of the latest run that recorded any, failures first.
SELECT suite, "column", expectation, severity, success, unexpected_count
FROM validations
WHERE run_id = (SELECT run_id FROM validations ORDER BY validated_at DESC LIMIT 1)
ORDER BY success, suite, position;
