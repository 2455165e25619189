-- A replay run that loaded what now passes: it succeeds, its note saying what was read again.
UPDATE etl_runs
   SET status = 'success', finished_at = now(), heartbeat_at = now(), note = :#${body.note}
 WHERE id = :#${body.runId} AND status = 'running'
