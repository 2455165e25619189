DELETE FROM ingestion_checkpoints WHERE source = :source AND checkpoint_key = :checkpointKey
