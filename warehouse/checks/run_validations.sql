-- The recorded checks of run $run_id, or of the latest run that recorded any when $run_id is NULL. Every
-- column, so that a warehouse from before a column was added still answers.
SELECT strftime(validated_at, '%Y-%m-%dT%H:%M:%S%z') AS validated_at, * EXCLUDE (validated_at)
FROM validations
WHERE run_id = coalesce($run_id, (SELECT run_id FROM validations ORDER BY validated_at DESC LIMIT 1))
ORDER BY suite, position;
