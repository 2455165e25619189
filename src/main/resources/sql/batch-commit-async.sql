-- A file batch's COMMIT returns before its WAL is flushed. A crash of PostgreSQL can then lose the
-- last batches it acknowledged, each whole (rows, counters and checkpoint are one transaction); the
-- next batch finds the checkpoint behind it and the file resumes after it (BatchWriter). The run's
-- closing statement commits synchronously, which flushes every batch before it.
SET LOCAL synchronous_commit = off
