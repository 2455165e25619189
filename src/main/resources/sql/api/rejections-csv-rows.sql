-- GET /rejections.csv: the run's rejected rows still to fix, in line order.
SELECT raw_text, raw_text_escaped
  FROM rejected_rows
 WHERE run_id = CAST(:#runId AS bigint) AND resolved_by_run IS NULL
 ORDER BY line_number, id
