-- What happened in the pipeline? Each run with its counts, rejects and the checks that failed.
SELECT
    r.run_id,
    r.started_at,
    r.documents_new,
    r.documents_unchanged,
    r.rejected,
    r.checks_passed,
    r.checks_failed,
    list(v.suite || '.' || coalesce(v."column", '') || ' (' || v.severity || ')') FILTER (WHERE NOT v.success) AS failed_checks
FROM runs AS r
LEFT JOIN validations AS v USING (run_id)
GROUP BY ALL
ORDER BY r.started_at DESC;
