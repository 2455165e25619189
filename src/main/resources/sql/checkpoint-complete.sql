INSERT INTO ingestion_checkpoints (source, checkpoint_key, file_name, last_line, rows_read, completed, marker, run_id)
VALUES (:source, :checkpointKey, :fileName, :lastLine, 0, true, :marker, :runId)
ON CONFLICT (source, checkpoint_key) DO UPDATE
   SET completed = true, file_name = EXCLUDED.file_name, marker = EXCLUDED.marker,
       run_id = EXCLUDED.run_id, updated_at = now()
