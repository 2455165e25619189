INSERT INTO schema_snapshots (source, run_id, signature, signature_hash, diff)
VALUES (:source, :runId, CAST(:signature AS jsonb), :signatureHash, CAST(:diff AS jsonb))
