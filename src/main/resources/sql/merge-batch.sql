-- One batch, one statement: insert the batch's new records, update its changed ones, keep the
-- per-source count, move the run's counters and the input's checkpoint, all in the transaction of
-- the batch's COPYs. The records come as parallel arrays, one element per key (BatchWriter keeps a
-- key's last row of the batch).
--
-- Why a lookup then plain INSERT and UPDATE, not INSERT ... ON CONFLICT: ON CONFLICT DO UPDATE
-- locks and rewrites every conflicting row, changed or not, and a re-drop is mostly unchanged rows.
-- The lookup is safe because the batch's transaction holds the source's write lock
-- (source-write-lock.sql): no other transaction adds this source's keys between the lookup and
-- the INSERT. The unique key stays the last line of defence: a violation fails the batch.
WITH batch AS (
    SELECT *
    FROM unnest(CAST(:externalIds AS text[]), CAST(:names AS text[]), CAST(:categories AS text[]),
                CAST(:values AS numeric[]), CAST(:currencies AS text[]), CAST(:eventTimestamps AS timestamptz[]),
                CAST(:attributes AS text[]), CAST(:contentHashes AS text[]))
         AS r (external_id, name, category, value, currency, event_timestamp, attributes, content_hash)
),
known AS (
    -- One index probe per key: the plan does not depend on the table's statistics.
    SELECT b.*, u.id AS existing_id, u.content_hash AS existing_hash
    FROM batch b
    LEFT JOIN LATERAL (
        SELECT id, content_hash FROM unified_records
        WHERE source = CAST(:source AS text) AND external_id = b.external_id
    ) u ON true
),
inserted AS (
    INSERT INTO unified_records
           (source, external_id, name, category, value, currency, event_timestamp, attributes, content_hash,
            first_run_id, last_run_id)
    SELECT CAST(:source AS text), external_id, name, category, value, currency, event_timestamp,
           CAST(attributes AS jsonb), content_hash,
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
           currency     = k.currency,
           event_timestamp = k.event_timestamp,
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
    -- The row is already locked by this transaction (source-write-lock.sql).
    UPDATE source_stats s
       SET record_count = s.record_count + c.inserted
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
    -- file with no checkpoint yet. Otherwise no row is returned: the batch is already stored (a
    -- retry after a COMMIT whose answer was lost), or the batches before it are not, and
    -- BatchWriter rolls it back instead of leaving a repeat or a gap.
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
