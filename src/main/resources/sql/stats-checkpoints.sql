SELECT DISTINCT ON (source) source, marker
  FROM ingestion_checkpoints
 ORDER BY source, updated_at DESC
