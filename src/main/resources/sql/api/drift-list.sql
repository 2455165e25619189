SELECT id, source, run_id, signature_hash, signature::text AS signature, diff::text AS diff, created_at
  FROM schema_snapshots
 WHERE CAST(:#source AS text) IS NULL OR source = CAST(:#source AS text)
 ORDER BY id DESC
