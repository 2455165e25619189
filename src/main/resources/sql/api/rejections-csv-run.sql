-- GET /rejections.csv: the run's file and header line (null: not a csv file, or loaded before runs
-- kept their header).
SELECT file_name, header_line
  FROM etl_runs
 WHERE id = CAST(:#runId AS bigint) AND source = CAST(:#source AS text)
