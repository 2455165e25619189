-- The hash of the last API payload ingested in full (the payload checkpoint's marker).
SELECT marker
  FROM ingestion_checkpoints
 WHERE source = :source AND checkpoint_key = :checkpointKey AND completed
