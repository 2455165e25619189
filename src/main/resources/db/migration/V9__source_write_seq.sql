-- A per-source count of committed merges (merge-batch.sql adds one in every batch's transaction).
-- A file's batch looks its keys up before its turn in the commit chain (sql/batch-lookup.sql); at its
-- turn the merge trusts that lookup only if the count shows that no merge of another input has
-- committed since (see BatchLookup). Otherwise it looks the keys up again, as before.
ALTER TABLE source_stats ADD COLUMN write_seq bigint NOT NULL DEFAULT 0;
