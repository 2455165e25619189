-- The key of a completed inbox file (Camel's JdbcMessageIdRepository insert: processorName = the
-- source, messageId = the file's sha256, createdAt), kept so that the same bytes again are skipped.
-- Not kept when an input of the source that arrived after this file wrote records, or is still
-- loading: where it holds keys of this file, their records hold its content, not this file's (an
-- older input never overwrites a newer one, merge-batch.sql), and a re-drop of this file, newer than
-- both, must be applied. The window reaches to now: the key is added after the run, in a transaction
-- of its own, and a run that changed records in between has already forgotten the keys it could see
-- (merge-batch.sql).
INSERT INTO camel_messageprocessed (processorName, messageId, createdAt)
SELECT k.name, k.id, k.at
  FROM (VALUES (CAST(? AS varchar), CAST(? AS varchar), CAST(? AS timestamp))) AS k (name, id, at)
 WHERE NOT EXISTS (
       SELECT 1
         FROM etl_runs mine
         JOIN etl_runs other
           ON other.source = mine.source AND other.id <> mine.id
          AND other.file_hash IS DISTINCT FROM mine.file_hash   -- an earlier, interrupted run of this file
          AND (other.records_inserted + other.records_updated > 0 OR other.status = 'running')
          AND (other.input_at, coalesce(other.file_name, '') COLLATE "C")
              >= (mine.input_at, coalesce(mine.file_name, '') COLLATE "C")   -- arrived after this file
        WHERE mine.id = (SELECT max(id) FROM etl_runs WHERE source = k.name AND file_hash = k.id))
ON CONFLICT DO NOTHING
