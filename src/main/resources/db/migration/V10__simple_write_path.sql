-- Batches are written one at a time per input, each in one synchronous transaction
-- (docs/architecture.md): the per-source merge count that early key lookups compared is not read.
ALTER TABLE source_stats DROP COLUMN write_seq;
-- The source list is the service's configuration (SourceRegistry), not the schema's: a source
-- added there needs no migration.
ALTER TABLE etl_runs DROP CONSTRAINT etl_runs_source_check;
