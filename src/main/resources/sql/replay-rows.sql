-- One run's rejected rows that no run has loaded yet, in line order (a row without a line cannot
-- be marked resolved, so it is not replayed).
SELECT line_number, raw_text, raw_text_escaped
  FROM rejected_rows
 WHERE run_id = :runId AND resolved_by_run IS NULL AND line_number IS NOT NULL
 ORDER BY line_number, id
