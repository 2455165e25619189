-- An identical payload: every item counts as read and skipped.
UPDATE etl_runs
   SET records_read = :count, records_skipped = :count, heartbeat_at = now()
 WHERE id = :runId
