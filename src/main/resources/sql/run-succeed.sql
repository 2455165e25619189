UPDATE etl_runs
   SET status = 'success', finished_at = now(), heartbeat_at = now(),
       note = COALESCE(:note, note)
 WHERE id = :runId AND status = 'running'
