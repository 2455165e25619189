SELECT id, source, status, trigger, file_name, file_hash, file_size, bytes_read, instance_id,
       started_at, finished_at, created_at, heartbeat_at,
       records_read, records_inserted, records_updated, records_skipped, records_rejected,
       resumed_from_line, error_message, note
  FROM etl_runs
 WHERE id = :#id
