-- The key of a completed inbox file (Camel's JdbcMessageIdRepository insert: processorName = the
-- source, messageId = the file's sha256, createdAt), kept so that the same bytes again are skipped.
-- Not kept when another run of the source updated records while this file was loaded (files of one
-- source run in parallel on several replicas): the table may then differ from this file, and a
-- re-drop must apply it again. (merge-batch.sql forgets the keys of files completed before a change.)
INSERT INTO camel_messageprocessed (processorName, messageId, createdAt)
SELECT k.name, k.id, k.at
  FROM (VALUES (CAST(? AS varchar), CAST(? AS varchar), CAST(? AS timestamp))) AS k (name, id, at)
 WHERE NOT EXISTS (
       SELECT 1
         FROM etl_runs mine
         JOIN etl_runs other
           ON other.source = mine.source AND other.id <> mine.id AND other.records_updated > 0
          AND other.file_hash IS DISTINCT FROM mine.file_hash   -- an earlier, interrupted run of this file
          AND other.started_at <= COALESCE(mine.finished_at, now())
          AND (other.finished_at IS NULL OR other.finished_at >= mine.started_at)
        WHERE mine.id = (SELECT max(id) FROM etl_runs WHERE source = k.name AND file_hash = k.id))
ON CONFLICT DO NOTHING
