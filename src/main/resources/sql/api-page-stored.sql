-- A json-api page ingested in full, in one statement: its payload is stored (one row per distinct
-- payload: one seen before keeps the row of the run that first stored it; its bytes become json,
-- the text as received, in the server) and the page's checkpoint holds its hash, so that the same
-- payload next time is recognised without writing it again.
WITH payload AS (
    INSERT INTO raw_api_data (source, run_id, payload_hash, payload, item_count)
    VALUES (:#${body.source}, :#${body.runId}, :#${body.payloadHash},
            CAST(convert_from(CAST(:#${body.payload} AS bytea), 'UTF8') AS json), :#${body.itemCount})
    ON CONFLICT (source, payload_hash) DO NOTHING
)
INSERT INTO ingestion_checkpoints (source, checkpoint_key, file_name, last_line, rows_read, completed, marker, run_id)
VALUES (:#${body.source}, :#${body.checkpointKey}, NULL, :#${body.lastLine}, 0, true, :#${body.marker}, :#${body.runId})
ON CONFLICT (source, checkpoint_key) DO UPDATE
   SET completed = true, marker = EXCLUDED.marker, run_id = EXCLUDED.run_id, updated_at = now()
