-- Where an input's stored checkpoint is, for a batch that does not continue from it.
SELECT last_line FROM ingestion_checkpoints WHERE source = :source AND checkpoint_key = :checkpointKey
