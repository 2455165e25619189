-- GET /rejections: run by run in the order the runs started, a run's rows in line order (a file's
-- lanes commit their rows in any order, so their ids are not).
SELECT id, run_id, source, file_name, line_number, raw_text, reason, created_at, resolved_by_run
  FROM rejected_rows
 WHERE (CAST(:#source AS text) IS NULL OR source = CAST(:#source AS text))
   AND (CAST(:#runId AS bigint) IS NULL OR run_id = CAST(:#runId AS bigint))
   AND (CAST(:#resolved AS boolean) IS NULL OR (resolved_by_run IS NOT NULL) = CAST(:#resolved AS boolean))
 ORDER BY run_id, line_number, id
 LIMIT :#limit OFFSET :#offset
