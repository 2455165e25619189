-- A finished run's outcome, for the metrics.
SELECT source, status, EXTRACT(EPOCH FROM (finished_at - started_at)) AS seconds
  FROM etl_runs
 WHERE id = :runId AND status <> 'running'
