SELECT count(*)                                          AS total,
       count(*) FILTER (WHERE status = 'success')        AS success,
       count(*) FILTER (WHERE status = 'failed')         AS failed,
       count(*) FILTER (WHERE status = 'running')        AS running,
       max(finished_at) FILTER (WHERE status = 'success') AS last_success_at,
       max(finished_at) FILTER (WHERE status = 'failed')  AS last_failure_at
  FROM etl_runs
