-- GET /runs: newest first. A null filter matches every row.
SELECT id, source, status, trigger, file_name, file_hash, file_size, bytes_read, instance_id,
       started_at, finished_at, created_at, heartbeat_at,
       records_read, records_inserted, records_updated, records_skipped, records_rejected,
       resumed_from_line, error_message, note
  FROM etl_runs
 WHERE (CAST(:#source AS text) IS NULL OR source = CAST(:#source AS text))
   AND (CAST(:#status AS text) IS NULL OR status = CAST(:#status AS text))
 ORDER BY id DESC
 LIMIT :#limit OFFSET :#offset
