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
stored AS (
    -- One index scan for the whole batch, not one per key (PostgreSQL 17 made such "searches over
    -- multiple values in a btree index" faster). In psql, 300 batches of 1000 stored keys in file
    -- order: 1.1-1.2 ms a batch, against 3.7-5.0 ms as LEFT JOIN LATERAL (... LIMIT 1) per key, the
    -- form the merge keeps.
    -- Only safe with planner statistics, so BatchLookup runs this only when RecordStatistics finds
    -- them. Without them (a table never analysed), psql planned it as a scan of every record of the
    -- source, filtered by the array. Seen before with a plain LEFT JOIN per key: re-drops whose
    -- first ~10 s went to this statement, writing temp files.
    SELECT external_id, id, content_hash FROM unified_records
    WHERE source = CAST(:source AS text) AND external_id = ANY(CAST(:externalIds AS text[]))
),
changed AS (
    SELECT b.position, s.id AS existing_id
    FROM b LEFT JOIN stored s ON s.external_id = b.external_id
    WHERE s.content_hash IS DISTINCT FROM b.content_hash
)
SELECT (SELECT write_seq FROM source_stats WHERE source = CAST(:source AS text)) AS write_seq,
       (SELECT last_line FROM ingestion_checkpoints
         WHERE source = CAST(:source AS text) AND checkpoint_key = CAST(:checkpointKey AS text)
           AND run_id = CAST(:runId AS bigint)) AS checkpoint_line,
       (SELECT array_agg(position ORDER BY position) FROM changed) AS positions,
       (SELECT array_agg(existing_id ORDER BY position) FROM changed) AS existing_ids
