-- GET /stats/timeline: per source and time bucket (minute, hour or day), the runs started and the
-- records they loaded, over the last :#buckets buckets up to now, oldest first. Buckets without a
-- run are absent. etl_runs_created_at_idx finds the window.
SELECT source,
       date_trunc(CAST(:#bucket AS text), created_at) AS bucket_start,
       count(*) AS runs,
       count(*) FILTER (WHERE status = 'failed') AS failed_runs,
       CAST(sum(records_inserted + records_updated) AS bigint) AS records_loaded,
       CAST(sum(records_rejected) AS bigint) AS records_rejected
  FROM etl_runs
 WHERE created_at >= date_trunc(CAST(:#bucket AS text), now())
                     - (CAST(:#buckets AS integer) - 1) * CAST('1 ' || CAST(:#bucket AS text) AS interval)
 GROUP BY source, bucket_start
 ORDER BY bucket_start, source
