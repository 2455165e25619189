SELECT last_line, rows_read, completed
  FROM ingestion_checkpoints
 WHERE source = :source AND checkpoint_key = :checkpointKey
