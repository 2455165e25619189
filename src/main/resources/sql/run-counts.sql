SELECT records_read, records_inserted, records_updated, records_skipped, records_rejected
  FROM etl_runs
 WHERE id = :runId
