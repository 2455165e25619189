-- The first statement of every batch's transaction, held until its commit or rollback: one writer
-- of unified records per source at a time, so that merge-batch.sql may plain-INSERT the keys it did
-- not find. The lock is the source's source_stats row, created here on a source's first batch. In
-- READ COMMITTED the merge that follows takes a new snapshot, so it sees what the writer before
-- this one committed.
INSERT INTO source_stats (source) VALUES (:source)
ON CONFLICT (source) DO UPDATE SET source = EXCLUDED.source
RETURNING record_count
