-- Claims whose holder stopped renewing them and that nobody took over (the file was removed by hand,
-- say): the claim goes, and the run its holder left 'running' over that file is closed.
WITH expired AS (
    DELETE FROM inbox_claims WHERE expires_at < now() RETURNING claim_key, instance_id
)
UPDATE etl_runs r
   SET status = 'failed', finished_at = now(),
       error_message = 'interrupted: replica ' || e.instance_id || ' stopped renewing its claim on the file; '
                    || 'the file resumes after the checkpoint when a replica next takes it'
  FROM expired e
 WHERE r.status = 'running' AND r.trigger = 'file'
   AND r.instance_id = e.instance_id AND r.file_name = e.claim_key
RETURNING r.id
