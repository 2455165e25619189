-- The same drop, still in the inbox, whose run completed: the process stopped after the run's
-- completion and before the file's move to .done/ and its completed-file key. It is not applied
-- again: its rows are stored, and newer files may have changed its records since. The same drop is
-- the same content under the same name with the same arrival; a later drop under the same name
-- arrives later, and is applied.
SELECT EXISTS (
    SELECT 1
      FROM ingestion_checkpoints c
      JOIN etl_runs r ON r.id = c.run_id
     WHERE c.source = :source AND c.checkpoint_key = :sha256 AND c.completed
       AND r.status = 'success' AND r.file_name = :fileName AND r.input_at = :arrivedAt)
