UPDATE etl_runs
   SET status = 'failed', finished_at = now(),
       error_message = 'interrupted: the process stopped before the run finished; resumed by run ' || :resumedBy
 WHERE id = :runId AND status = 'running'
