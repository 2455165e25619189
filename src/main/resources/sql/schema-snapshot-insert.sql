INSERT INTO schema_snapshots (source, run_id, signature, signature_hash, diff)
VALUES (:#${body.source}, :#${body.runId}, CAST(:#${body.signatureJson} AS jsonb), :#${body.signatureHash},
        CAST(:#${body.diffJson} AS jsonb))
