-- An input ingested in full, in one statement (so all of it or none): an API payload is stored
-- (one row per distinct payload: one seen before keeps the row of the run that first stored it;
-- its bytes become json, the text as received, in the server), the input's checkpoint is marked
-- complete (its lanes are no longer needed), and its run succeeds.
WITH payload AS (
    INSERT INTO raw_api_data (source, run_id, payload_hash, payload, item_count)
    SELECT :#${body.source}, :#${body.runId}, :#${body.payloadHash},
           CAST(convert_from(CAST(:#${body.payload} AS bytea), 'UTF8') AS json), :#${body.itemCount}
     WHERE CAST(:#${body.payloadHash} AS text) IS NOT NULL
    ON CONFLICT (source, payload_hash) DO NOTHING
),
lanes AS (
    DELETE FROM ingestion_lanes
     WHERE source = :#${body.source} AND checkpoint_key = :#${body.checkpointKey}
),
checkpoint AS (
    INSERT INTO ingestion_checkpoints (source, checkpoint_key, file_name, last_line, rows_read, completed, marker, run_id)
    VALUES (:#${body.source}, :#${body.checkpointKey}, CAST(:#${body.fileName} AS text), :#${body.lastLine}, 0, true,
            :#${body.marker}, :#${body.runId})
    ON CONFLICT (source, checkpoint_key) DO UPDATE
       SET completed = true, file_name = EXCLUDED.file_name, marker = EXCLUDED.marker,
           run_id = EXCLUDED.run_id, updated_at = now()
)
UPDATE etl_runs
   SET status = 'success', finished_at = now(), heartbeat_at = now()
 WHERE id = :#${body.runId} AND status = 'running'
