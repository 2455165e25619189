-- The source's exact record count grows by the records a batch inserted, as the last statement of
-- the batch's transaction: the count's row is the one row every writer of a source shares, so it is
-- locked only from here to the commit (concurrent batches of one source queue only for that), and a
-- batch that inserts nothing (a re-drop) does not touch it. The row is created on a source's first
-- records.
INSERT INTO source_stats (source, record_count) VALUES (:source, :inserted)
ON CONFLICT (source) DO UPDATE SET record_count = source_stats.record_count + EXCLUDED.record_count
