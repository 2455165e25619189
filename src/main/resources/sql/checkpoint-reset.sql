WITH batches AS (
    DELETE FROM ingestion_batches WHERE source = :source AND checkpoint_key = :checkpointKey
)
DELETE FROM ingestion_checkpoints WHERE source = :source AND checkpoint_key = :checkpointKey
