-- Whether the planner has statistics on the keys of unified_records: any ANALYZE that found rows
-- leaves them, autovacuum's or this service's (records-analyze.sql). Without them, batch-lookup.sql
-- is not run (see there).
SELECT EXISTS (SELECT 1 FROM pg_stats
                WHERE schemaname = current_schema() AND tablename = 'unified_records'
                  AND attname = 'external_id')
