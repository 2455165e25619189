-- A payload identical to the last one ingested: the run succeeds with every item read and skipped.
UPDATE etl_runs
   SET status = 'success', finished_at = now(), heartbeat_at = now(),
       records_read = :#${body.itemCount}, records_skipped = :#${body.itemCount},
       note = 'identical payload already ingested (sha256 ' || :#${body.payloadHash} || '): all records skipped'
 WHERE id = :#${body.runId} AND status = 'running'
