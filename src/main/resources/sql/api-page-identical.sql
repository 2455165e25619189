-- A page identical to the last one ingested: its items count as read and skipped.
UPDATE etl_runs
   SET records_read = records_read + :#${body.itemCount},
       records_skipped = records_skipped + :#${body.itemCount},
       heartbeat_at = now()
 WHERE id = :#${body.runId} AND status = 'running'
