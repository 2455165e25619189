SELECT CAST(signature AS text) AS signature, signature_hash
  FROM schema_snapshots
 WHERE source = :source
 ORDER BY id DESC
 LIMIT 1
