SELECT source, EXTRACT(EPOCH FROM max(finished_at)) AS seconds
  FROM etl_runs
 WHERE status = 'success'
 GROUP BY source
