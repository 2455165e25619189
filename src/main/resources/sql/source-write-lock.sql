-- Taken by a batch's transaction before its merge, released by its commit or rollback: one writer
-- of unified records per source at a time, so that merge-batch.sql may plain-INSERT the keys its
-- snapshot did not find. The two-key form keeps clear of the one-key poll lock (poll-lock.sql).
SELECT pg_advisory_xact_lock(hashtext('unified_records'), hashtext(:source))
