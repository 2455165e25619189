-- One batch, one statement: insert the batch's new records, update its changed ones, keep the
-- per-source counts, move the run's counters and the input's checkpoint, all in the transaction of
-- the batch's COPYs. The records come as parallel arrays (one element per record, see BatchMerger):
-- no staging table to write, index and delete per batch, which measured as the largest part of a
-- batch's cost.
--
-- Why a lookup then plain INSERT and UPDATE, not INSERT ... ON CONFLICT: the upsert's speculative
-- insertion (a second index probe, and a confirmation WAL record per row) measured as a fifth of
-- this statement on a first load, and ON CONFLICT DO UPDATE ... WHERE false still locks every
-- unchanged conflicting row on a re-drop. The lookup is safe because the batch's transaction holds
-- the source's write lock (source-write-lock.sql), taken before this statement's snapshot: no
-- other transaction can add this source's keys between the lookup and the INSERT. The unique key
-- stays the last line of defence: a violation fails the batch, nothing is merged twice.
--
-- :prechecked: the keys were looked up before the batch's turn (batch-lookup.sql) and BatchLookup
-- found that nothing has written them since. Then only the new and changed records come, with the
-- existing id from that lookup (null: new), and are not looked up again (the unchanged ones are left
-- out: they count as skipped through :valid). Otherwise every record comes, and is looked up here.
WITH batch AS (
    -- One element per key: BatchMerger keeps a key's last row of the batch (a repeat here would
    -- fail the batch on the unique key, not merge twice).
    SELECT *
    FROM unnest(CAST(:externalIds AS text[]), CAST(:names AS text[]), CAST(:categories AS text[]),
                CAST(:values AS numeric[]), CAST(:attributes AS text[]), CAST(:contentHashes AS text[]),
                CAST(:existingIds AS bigint[]))
         AS r (external_id, name, category, value, attributes, content_hash, looked_up_id)
),
known AS (
    -- Every one of these differs from its stored record (the early lookup sent only those): no hash.
    SELECT b.*, b.looked_up_id AS existing_id, CAST(NULL AS text) AS existing_hash
    FROM batch b
    WHERE CAST(:prechecked AS boolean)
    UNION ALL
    -- :keysAtOnce (the table has planner statistics, see BatchMerger): one index scan for all the
    -- batch's keys, as batch-lookup.sql does. In psql, 1000 keys in file order against 1.09M stored
    -- records: 0.5 ms, against 4.8 ms for the per-key form below (6.3 against 7.8 ms in random order).
    -- Statistics far older than the table can still mislead a freshly planned statement (psql, analysed
    -- at 20 records, 200,000 later: a parallel scan of the table, 88 ms); the service analyses after
    -- large loads (RecordStatistics), and autovacuum after a tenth of the table changed.
    SELECT b.*, s.id AS existing_id, s.content_hash AS existing_hash
    FROM batch b
    LEFT JOIN (
        SELECT external_id, id, content_hash FROM unified_records
        WHERE source = CAST(:source AS text) AND external_id = ANY(CAST(:externalIds AS text[]))
    ) s ON s.external_id = b.external_id
    WHERE NOT CAST(:prechecked AS boolean) AND CAST(:keysAtOnce AS boolean)
    UNION ALL
    -- Otherwise one index probe per key, whatever the planner knows: without statistics it planned
    -- the form above as a scan of all the source's records.
    SELECT b.*, u.id AS existing_id, u.content_hash AS existing_hash
    FROM batch b
    LEFT JOIN LATERAL (
        SELECT id, content_hash FROM unified_records
        WHERE source = CAST(:source AS text) AND external_id = b.external_id
        LIMIT 1
    ) u ON true
    WHERE NOT CAST(:prechecked AS boolean) AND NOT CAST(:keysAtOnce AS boolean)
),
inserted AS (
    INSERT INTO unified_records
           (source, external_id, name, category, value, attributes, content_hash, first_run_id, last_run_id)
    -- attributes arrive as text: only the rows that get written pay for the jsonb conversion.
    SELECT CAST(:source AS text), external_id, name, category, value, CAST(attributes AS jsonb), content_hash,
           CAST(:runId AS bigint), CAST(:runId AS bigint)
    FROM known
    WHERE existing_id IS NULL
    RETURNING 1
),
updated AS (
    UPDATE unified_records u
       SET name         = k.name,
           category     = k.category,
           value        = k.value,
           attributes   = CAST(k.attributes AS jsonb),
           content_hash = k.content_hash,
           last_run_id  = CAST(:runId AS bigint),
           updated_at   = now()
      FROM known k
     WHERE u.id = k.existing_id
       AND k.existing_hash IS DISTINCT FROM k.content_hash   -- unchanged content is skipped, not rewritten
    RETURNING 1
),
counts AS (
    SELECT (SELECT count(*) FROM inserted) AS inserted,
           (SELECT count(*) FROM updated)  AS updated
),
stats AS (
    -- write_seq counts this merge (see batch-lookup.sql); the row is already locked by this transaction.
    UPDATE source_stats s
       SET record_count = s.record_count + c.inserted,
           write_seq    = s.write_seq + 1
      FROM counts c
     WHERE s.source = CAST(:source AS text)
),
forget_completed_files AS (
    -- Once a record changes, an older file is no longer known to match the table: forget the
    -- completed-file keys of this source so that re-dropping such a file applies it again.
    DELETE FROM camel_messageprocessed m
     USING counts c
     WHERE m.processorname = CAST(:source AS text) AND c.updated > 0
),
run AS (
    UPDATE etl_runs r
       SET records_read     = r.records_read + CAST(:read AS bigint),
           records_inserted = r.records_inserted + c.inserted,
           records_updated  = r.records_updated + c.updated,
           records_skipped  = r.records_skipped + CAST(:valid AS bigint) - c.inserted - c.updated,
           records_rejected = r.records_rejected + CAST(:rejected AS bigint),
           bytes_read       = GREATEST(r.bytes_read, CAST(:bytesRead AS bigint)),
           heartbeat_at     = now()
      FROM counts c
     WHERE r.id = CAST(:runId AS bigint)
),
checkpoint AS (
    -- Only where this batch continues: from the stored line (:previousLine), or from the top of a
    -- file with no checkpoint yet. Anything else means the batches before it are not all stored
    -- (the database lost commits it had acknowledged, see BatchCommitMode) or this one already is:
    -- no row is returned, and BatchMerger fails the batch instead of leaving a gap or a repeat.
    INSERT INTO ingestion_checkpoints
           (source, checkpoint_key, file_name, last_line, rows_read, completed, marker, run_id, updated_at)
    SELECT CAST(:source AS text), CAST(:checkpointKey AS text), CAST(:fileName AS text),
           CAST(:lastLine AS bigint), CAST(:read AS bigint), false,
           CAST(:fileName AS text) || ':' || CAST(:lastLine AS bigint), CAST(:runId AS bigint), now()
     WHERE CAST(:checkpointKey AS text) IS NOT NULL
       AND (CAST(:previousLine AS bigint) = 0
            OR EXISTS (SELECT 1 FROM ingestion_checkpoints c
                        WHERE c.source = CAST(:source AS text) AND c.checkpoint_key = CAST(:checkpointKey AS text)))
    ON CONFLICT (source, checkpoint_key) DO UPDATE
       SET last_line  = EXCLUDED.last_line,
           rows_read  = ingestion_checkpoints.rows_read + EXCLUDED.rows_read,
           file_name  = EXCLUDED.file_name,
           marker     = EXCLUDED.marker,
           run_id     = EXCLUDED.run_id,
           updated_at = now()
     WHERE ingestion_checkpoints.last_line = CAST(:previousLine AS bigint)
    RETURNING 1
)
SELECT inserted, updated, (SELECT count(*) FROM checkpoint) AS checkpointed FROM counts
