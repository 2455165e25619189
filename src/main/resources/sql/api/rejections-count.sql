SELECT count(*)
  FROM rejected_rows
 WHERE (CAST(:#source AS text) IS NULL OR source = CAST(:#source AS text))
   AND (CAST(:#runId AS bigint) IS NULL OR run_id = CAST(:#runId AS bigint))
   AND (CAST(:#resolved AS boolean) IS NULL OR (resolved_by_run IS NOT NULL) = CAST(:#resolved AS boolean))
