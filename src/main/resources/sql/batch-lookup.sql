-- A file's batch, before its turn in the commit chain (BatchLookup): which of its keys are new or
-- changed as of this statement's snapshot, with the existing record's id, so that the
-- merge at the batch's turn need not look up the keys that are unchanged (on a re-drop, nearly all).
-- Also what tells, at the turn, whether this snapshot still holds: the source's merge count, and
-- this input's checkpoint line if this run wrote it last (which of the run's own batches the
-- snapshot saw).
WITH b AS (
    SELECT *
    FROM unnest(CAST(:externalIds AS text[]), CAST(:contentHashes AS text[])) WITH ORDINALITY
         AS b (external_id, content_hash, position)
),
changed AS (
    -- LATERAL ... LIMIT 1 (the key is unique): one index probe per key, whatever the statistics say.
    -- Seen with a plain LEFT JOIN: re-drops whose first ~10 s went to this statement, writing temp
    -- files. On a copy of unified_records without statistics, psql planned it with 1000 keys as a
    -- hash join over every record of the source: 1.35 s instead of 7 ms per batch.
    SELECT b.position, u.id AS existing_id
    FROM b
    LEFT JOIN LATERAL (
        SELECT id, content_hash FROM unified_records
        WHERE source = CAST(:source AS text) AND external_id = b.external_id
        LIMIT 1
    ) u ON true
    WHERE u.content_hash IS DISTINCT FROM b.content_hash
)
SELECT (SELECT write_seq FROM source_stats WHERE source = CAST(:source AS text)) AS write_seq,
       (SELECT last_line FROM ingestion_checkpoints
         WHERE source = CAST(:source AS text) AND checkpoint_key = CAST(:checkpointKey AS text)
           AND run_id = CAST(:runId AS bigint)) AS checkpoint_line,
       (SELECT array_agg(position ORDER BY position) FROM changed) AS positions,
       (SELECT array_agg(existing_id ORDER BY position) FROM changed) AS existing_ids
