-- Sources are configuration (etl.sources): two more unified fields a source can map, and what a
-- rejected row needs to be replayed after its source's rule is fixed.
ALTER TABLE unified_records
    ADD COLUMN currency        text,
    ADD COLUMN event_timestamp timestamptz;

-- The header line of a file run, so that its rejected rows can be read again (replay) or handed
-- back as a CSV under their own header (GET /rejections.csv).
ALTER TABLE etl_runs ADD COLUMN header_line text;

-- Null until a later run (a replay) loads the row.
ALTER TABLE rejected_rows ADD COLUMN resolved_by_run bigint REFERENCES etl_runs (id);
CREATE INDEX rejected_rows_unresolved_idx ON rejected_rows (source, run_id) WHERE resolved_by_run IS NULL;

-- Each json-api source's Quartz job is now named after the source (coingecko_api/poll); the job
-- of the one hard-wired CoinGecko route (coingecko/poll) would fire into a route that is gone.
DELETE FROM qrtz_cron_triggers WHERE trigger_group = 'coingecko';
DELETE FROM qrtz_simple_triggers WHERE trigger_group = 'coingecko';
DELETE FROM qrtz_triggers WHERE trigger_group = 'coingecko';
DELETE FROM qrtz_job_details WHERE job_group = 'coingecko';
