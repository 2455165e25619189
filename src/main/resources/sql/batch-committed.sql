-- A retried batch of a file: did the attempt before it commit after all? A COMMIT can land on the
-- server while the client only sees the connection fail (DatabaseOutageTest met one: "terminating
-- connection due to administrator command", answered to a commit that had landed). Every batch
-- moves its input's checkpoint to its last line in its own transaction, and a run's batches commit
-- in order, so the checkpoint covers the batch exactly when the batch committed.
--
-- Run after the source's write lock (source-write-lock.sql), in the retry's transaction: an earlier
-- attempt that reached its merge holds that lock until the server has committed or rolled it back,
-- so this reads its outcome, never a commit still in flight.
SELECT EXISTS (
    SELECT 1
      FROM ingestion_checkpoints
     WHERE source = :source
       AND checkpoint_key = :checkpointKey
       AND run_id = :runId
       AND last_line >= :lastLine
)
