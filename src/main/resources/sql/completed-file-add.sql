-- The key of a completed inbox file (Camel's JdbcMessageIdRepository insert: processorName = the
-- source, messageId = the file's sha256, createdAt), kept so that the same bytes again are skipped.
-- Not kept when another run of the source may have changed records since this file's run started
-- (files of one source run in parallel on several replicas): one that updated records, or one
-- still running, whose updates may not be committed yet. The table may then differ from this
-- file, and a re-drop must apply it again. The window reaches to now, not to this run's end: the key
-- is added after the run, in a transaction of its own, and a run that changed records in between
-- has already forgotten the keys it could see (merge-batch.sql).
INSERT INTO camel_messageprocessed (processorName, messageId, createdAt)
SELECT k.name, k.id, k.at
  FROM (VALUES (CAST(? AS varchar), CAST(? AS varchar), CAST(? AS timestamp))) AS k (name, id, at)
 WHERE NOT EXISTS (
       SELECT 1
         FROM etl_runs mine
         JOIN etl_runs other
           ON other.source = mine.source AND other.id <> mine.id
          AND (other.records_updated > 0 OR other.status = 'running')
          AND other.file_hash IS DISTINCT FROM mine.file_hash   -- an earlier, interrupted run of this file
          AND (other.finished_at IS NULL OR other.finished_at >= mine.started_at)
        WHERE mine.id = (SELECT max(id) FROM etl_runs WHERE source = k.name AND file_hash = k.id))
ON CONFLICT DO NOTHING
