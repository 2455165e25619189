-- Fresh planner statistics after a bulk load. SKIP_LOCKED: when another ANALYZE or a VACUUM holds
-- the table (autovacuum, another replica), skip instead of waiting; that one leaves statistics too.
ANALYZE (SKIP_LOCKED) unified_records
