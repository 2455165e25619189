-- Cheaper bulk writes of raw CSV rows (measured with scripts/bench; see docs/README-performance-fragment.md).
-- Sampling the writing backend showed the COPY into raw_csv_data as the largest single share of a
-- batch, and it is the part a re-drop of mostly unchanged rows cannot skip (every row of every drop
-- is kept). For 1000 rows, COPY took about 9.5 ms as before, 8 ms with the BRIN index, 5 ms with
-- json as well.
-- * row_data json, not jsonb: the row is written once and read rarely; json only validates the
--   text, jsonb also converts it. ->, ->> and json_each work the same on it.
-- * (run_id, line_number) as BRIN: rows arrive in run and line order, so a block-range index
--   finds a run's rows as well as the B-tree did, at a fraction of the cost per insert.
ALTER TABLE raw_csv_data ALTER COLUMN row_data TYPE json USING row_data::json;
DROP INDEX raw_csv_data_run_idx;
CREATE INDEX raw_csv_data_run_brin ON raw_csv_data USING brin (run_id, line_number);
