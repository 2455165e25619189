-- One row per distinct payload: a payload seen before keeps the row of the run that first stored it.
-- The bytes travel as bytea and become json (the text as received) in the server: no Java String
-- copy of the payload.
INSERT INTO raw_api_data (source, run_id, payload_hash, payload, item_count)
VALUES (:source, :runId, :payloadHash, CAST(convert_from(:payload, 'UTF8') AS json), :itemCount)
ON CONFLICT (source, payload_hash) DO NOTHING
