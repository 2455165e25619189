-- Every page of a poll is in: its run succeeds, with a note where pages were identical.
UPDATE etl_runs
   SET status = 'success', finished_at = now(), heartbeat_at = now(), note = CAST(:#${body.note} AS text)
 WHERE id = :#${body.runId} AND status = 'running'
