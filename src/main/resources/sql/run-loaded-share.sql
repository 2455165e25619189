-- How many records a run inserted, against all the records stored now (source_stats keeps exact
-- counts, so this reads two small tables, not unified_records).
SELECT r.records_inserted AS inserted,
       (SELECT COALESCE(sum(s.record_count), 0) FROM source_stats s) AS total
  FROM etl_runs r
 WHERE r.id = :runId
