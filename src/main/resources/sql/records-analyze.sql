-- Fresh planner statistics after a bulk load. SKIP_LOCKED: when a VACUUM or another ANALYZE holds
-- the table (autovacuum, another replica), PostgreSQL skips it with a warning instead of waiting.
-- The early lookup then waits for statistics from elsewhere (another ANALYZE; a plain VACUUM
-- leaves none).
ANALYZE (SKIP_LOCKED) unified_records
