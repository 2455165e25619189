UPDATE etl_runs
   SET status = 'failed', finished_at = now(), heartbeat_at = now(), error_message = :error
 WHERE id = :runId AND status = 'running'
