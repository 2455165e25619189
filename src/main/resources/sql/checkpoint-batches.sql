-- The lines an input's committed batches cover, in line order.
SELECT previous_line, last_line
  FROM ingestion_batches
 WHERE source = :source AND checkpoint_key = :checkpointKey
 ORDER BY previous_line
