-- GET /runs?status=failed pages through failed runs newest first without walking every run
-- (CoinGecko alone adds one run every five minutes).
CREATE INDEX etl_runs_status_id_idx ON etl_runs (status, id DESC);
