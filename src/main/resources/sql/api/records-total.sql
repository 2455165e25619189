-- Exact record counts kept by the merge: no scan of unified_records, however large.
SELECT COALESCE(sum(record_count), 0)
  FROM source_stats
 WHERE CAST(:#source AS text) IS NULL OR source = CAST(:#source AS text)
