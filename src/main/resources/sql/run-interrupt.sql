-- Runs over the same input left 'running' by a process that died. Only one consumer processes an
-- input at a time, so whoever holds it now knows such a run is an orphan.
UPDATE etl_runs
   SET status = 'failed', finished_at = now(),
       error_message = 'interrupted: the run''s process stopped, or could not record its end, before it '
                    || 'finished; taken over by run ' || :takenOverBy
 WHERE source = :source
   AND status = 'running'
   AND id <> :takenOverBy
   AND file_hash IS NOT DISTINCT FROM :fileHash
RETURNING id
