-- One batch, one statement: insert the batch's new records, update its changed ones, move the
-- run's counters and the input's checkpoint, all in the transaction of the batch's COPYs. The
-- records come as parallel arrays, one element per key (BatchWriter keeps a key's last row of the
-- batch). The source's record count is added after this statement (source-stats-add.sql), last.
--
-- A record keeps the content of the latest input that holds its key (V15): a file by its arrival
-- in the inbox, a poll by its start, a replayed row by its original run's input. An older input
-- loaded later (a file whose replica died, a slow one) never overwrites a newer one's content.
--
-- Several batches of one source may run at the same time (a file's lanes, files on several replicas):
-- * Every key is looked up first, without a lock; a key whose stored content is the batch's is
--   skipped and never locked or rewritten (a re-drop is mostly such rows), unless the run overtook
--   an earlier file still in the inbox: then the key takes this input's order, so that the earlier
--   file, loaded after, leaves it alone.
-- * The rest are written by one INSERT ... ON CONFLICT DO UPDATE in external_id order: a key another
--   batch inserted since the lookup becomes an update, and two batches lock the keys they share in
--   the same order, so one waits for the other instead of deadlocking. The update compares with the
--   row as it is when locked: a row already holding a later input is left alone. Each row is written
--   whole: a shared key ends with the whole content of the later input.
-- * (xmax = 0) tells an inserted row from an updated one; an update counts as one when it changed
--   the content, which last_run_id says: a later input holding the same content leaves it as it was.
WITH input AS (
    -- The input the batch's rows belong to: its run's, or for a replay the run they were rejected in.
    SELECT coalesce(o.input_at, r.input_at) AS at,
           coalesce(o.file_name, r.file_name, '') COLLATE "C" AS name,
           r.overtakes
      FROM etl_runs r
      LEFT JOIN etl_runs o ON o.id = CAST(:replayOf AS bigint)
     WHERE r.id = CAST(:runId AS bigint)
),
batch AS (
    SELECT *
    FROM unnest(CAST(:externalIds AS text[]), CAST(:names AS text[]), CAST(:categories AS text[]),
                CAST(:values AS numeric[]), CAST(:currencies AS text[]), CAST(:eventTimestamps AS timestamptz[]),
                CAST(:attributes AS text[]), CAST(:contentHashes AS text[]))
         AS r (external_id, name, category, value, currency, event_timestamp, attributes, content_hash)
),
known AS (
    -- One index probe per key: the plan does not depend on the table's statistics.
    SELECT b.*, u.content_hash AS existing_hash, u.input_at AS existing_at, u.input_name AS existing_name,
           i.at AS input_at, i.name AS input_name, i.overtakes
    FROM batch b
    CROSS JOIN input i
    LEFT JOIN LATERAL (
        SELECT content_hash, input_at, input_name FROM unified_records
        WHERE source = CAST(:source AS text) AND external_id = b.external_id
    ) u ON true
),
written AS (
    INSERT INTO unified_records AS u
           (source, external_id, name, category, value, currency, event_timestamp, attributes, content_hash,
            first_run_id, last_run_id, input_at, input_name)
    SELECT CAST(:source AS text), external_id, name, category, value, currency, event_timestamp,
           CAST(attributes AS jsonb), content_hash,
           CAST(:runId AS bigint), CAST(:runId AS bigint), input_at, input_name
    FROM known
    WHERE existing_hash IS NULL                                                -- new
       OR (existing_hash <> content_hash
           AND (existing_at, existing_name) <= (input_at, input_name))         -- changed, by a later input
       OR (overtakes AND (existing_at, existing_name) < (input_at, input_name)) -- unchanged, now this input's
    ORDER BY external_id COLLATE "C"
    ON CONFLICT (source, external_id) DO UPDATE
       SET name            = EXCLUDED.name,
           category        = EXCLUDED.category,
           value           = EXCLUDED.value,
           currency        = EXCLUDED.currency,
           event_timestamp = EXCLUDED.event_timestamp,
           attributes      = EXCLUDED.attributes,
           content_hash    = EXCLUDED.content_hash,
           input_at        = EXCLUDED.input_at,
           input_name      = EXCLUDED.input_name,
           -- Who last changed the record, and when: not a later input that holds the same content.
           last_run_id     = CASE WHEN u.content_hash = EXCLUDED.content_hash THEN u.last_run_id
                                  ELSE EXCLUDED.last_run_id END,
           updated_at      = CASE WHEN u.content_hash = EXCLUDED.content_hash THEN u.updated_at ELSE now() END
     WHERE (u.input_at, u.input_name) < (EXCLUDED.input_at, EXCLUDED.input_name)
        OR ((u.input_at, u.input_name) = (EXCLUDED.input_at, EXCLUDED.input_name)
            AND u.content_hash <> EXCLUDED.content_hash)
    RETURNING (xmax = 0) AS is_insert, last_run_id
),
counts AS (
    SELECT count(*) FILTER (WHERE is_insert)                                           AS inserted,
           count(*) FILTER (WHERE NOT is_insert AND last_run_id = CAST(:runId AS bigint)) AS updated
    FROM written
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
lane AS (
    -- A file's rows are written in lanes (a row's lane follows from its key), each lane's batches one
    -- after the other. The lane's checkpoint moves only where this batch continues it: from the
    -- lane's stored line (:previousLine), or from the top of a lane with no checkpoint yet, in a file
    -- whose lanes are counted as the batch's. Otherwise no row is returned: the batch is already
    -- stored (a retry after a COMMIT whose answer was lost), or the lane's batches before it are not,
    -- and BatchWriter rolls it back instead of leaving a repeat or a gap.
    INSERT INTO ingestion_lanes (source, checkpoint_key, lane, lanes, last_line)
    SELECT CAST(:source AS text), CAST(:checkpointKey AS text), CAST(:lane AS integer), CAST(:lanes AS integer),
           CAST(:lastLine AS bigint)
     WHERE CAST(:checkpointKey AS text) IS NOT NULL
       AND (CAST(:previousLine AS bigint) = 0
            OR EXISTS (SELECT 1 FROM ingestion_lanes l
                        WHERE l.source = CAST(:source AS text) AND l.checkpoint_key = CAST(:checkpointKey AS text)
                          AND l.lane = CAST(:lane AS integer)))
       AND NOT EXISTS (SELECT 1 FROM ingestion_lanes l
                        WHERE l.source = CAST(:source AS text) AND l.checkpoint_key = CAST(:checkpointKey AS text)
                          AND l.lanes <> CAST(:lanes AS integer))
    ON CONFLICT (source, checkpoint_key, lane) DO UPDATE
       SET last_line = EXCLUDED.last_line
     WHERE ingestion_lanes.last_line = CAST(:previousLine AS bigint) AND ingestion_lanes.lanes = EXCLUDED.lanes
    RETURNING 1
),
checkpoint AS (
    -- What /stats shows of the file: its furthest line, and the rows its batches read.
    INSERT INTO ingestion_checkpoints
           (source, checkpoint_key, file_name, last_line, rows_read, completed, marker, run_id, updated_at)
    SELECT CAST(:source AS text), CAST(:checkpointKey AS text), CAST(:fileName AS text),
           CAST(:lastLine AS bigint), CAST(:read AS bigint), false,
           CAST(:fileName AS text) || ':' || CAST(:lastLine AS bigint), CAST(:runId AS bigint), now()
     WHERE EXISTS (SELECT 1 FROM lane)
    ON CONFLICT (source, checkpoint_key) DO UPDATE
       SET last_line  = GREATEST(ingestion_checkpoints.last_line, EXCLUDED.last_line),
           rows_read  = ingestion_checkpoints.rows_read + EXCLUDED.rows_read,
           file_name  = EXCLUDED.file_name,
           marker     = EXCLUDED.file_name || ':' || GREATEST(ingestion_checkpoints.last_line, EXCLUDED.last_line),
           run_id     = EXCLUDED.run_id,
           updated_at = now()
)
SELECT inserted, updated, (SELECT count(*) FROM lane) AS checkpointed FROM counts
