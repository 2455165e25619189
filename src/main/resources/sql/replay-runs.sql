-- The runs of a source (or the one run asked for) holding rejected rows no run has loaded yet, oldest
-- first. A replay run's own rejected rows are its record of what still failed; the row to replay
-- stays the original one. The unresolved rows are found by their partial index.
SELECT r.id, r.file_name, r.header_line
  FROM etl_runs r
 WHERE r.id IN (SELECT DISTINCT run_id
                  FROM rejected_rows
                 WHERE source = :source AND resolved_by_run IS NULL
                   AND (CAST(:runId AS bigint) IS NULL OR run_id = CAST(:runId AS bigint)))
   AND r.trigger <> 'replay'
 ORDER BY r.id
