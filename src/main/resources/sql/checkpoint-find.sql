SELECT c.last_line, c.rows_read, c.completed, c.run_id, r.status AS run_status
  FROM ingestion_checkpoints c
  LEFT JOIN etl_runs r ON r.id = c.run_id
 WHERE c.source = :source AND c.checkpoint_key = :checkpointKey
