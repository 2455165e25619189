-- Claims an inbox key for this process: a key nobody holds, or one whose holder stopped renewing
-- it (expired). A live claim of another process is left alone, and no row comes back. Insert or
-- update can lose the race to another replica: the unique key decides, and the loser waits for the
-- winner's statement and then finds its claim live.
-- When an expired claim on a file is taken over, the run its dead holder left 'running' over that
-- file is closed in the same statement, so the run record is honest before the file resumes.
WITH previous AS (
    SELECT instance_id FROM inbox_claims WHERE claim_key = :key AND expires_at < now()
),
claimed AS (
    INSERT INTO inbox_claims AS c (claim_key, holder, instance_id, expires_at)
    VALUES (:key, :holder, :instanceId, now() + CAST(:leaseMillis AS bigint) * interval '1 millisecond')
    ON CONFLICT (claim_key) DO UPDATE
       SET holder = EXCLUDED.holder, instance_id = EXCLUDED.instance_id, claimed_at = now(),
           expires_at = EXCLUDED.expires_at
     WHERE c.expires_at < now()
        OR c.holder = EXCLUDED.holder   -- this process's own, left by a release the database missed
    RETURNING claim_key
),
stranded AS (
    UPDATE etl_runs r
       SET status = 'failed', finished_at = now(),
           error_message = 'interrupted: replica ' || p.instance_id || ' stopped renewing its claim on the file; '
                        || 'replica ' || CAST(:instanceId AS text) || ' took it over and resumes after the checkpoint'
      FROM previous p
     WHERE EXISTS (SELECT 1 FROM claimed)
       AND r.status = 'running' AND r.trigger = 'file'
       AND r.instance_id = p.instance_id AND r.file_name = :key
    RETURNING r.id
)
SELECT (SELECT count(*) FROM claimed) AS claimed, (SELECT count(*) FROM stranded) AS closed
