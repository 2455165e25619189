WITH lanes AS (
    DELETE FROM ingestion_lanes WHERE source = :source AND checkpoint_key = :checkpointKey
)
DELETE FROM ingestion_checkpoints WHERE source = :source AND checkpoint_key = :checkpointKey
