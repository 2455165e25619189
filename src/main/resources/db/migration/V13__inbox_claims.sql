-- Every replica polls the inbox; a file is worked on by the one replica that holds its claim here.
-- A claim is a lease: its holder renews it while it works (etl.inbox.claim-lease), and once it has
-- expired any replica may take it over. Two kinds of key: an inbox file's name (the file component
-- moves the file away before the claim is released, so a later drop under the same name is a new
-- claim), and '<source>/<sha256>', the content being loaded, so that the same bytes under two names
-- are never loaded twice at the same time. A '/' cannot be part of a file name: the kinds never meet.
CREATE TABLE inbox_claims (
    claim_key   text        PRIMARY KEY,
    holder      text        NOT NULL,   -- one process: pid@host#token (a restarted pod may reuse pid@host)
    instance_id text        NOT NULL,   -- pid@host, as in etl_runs.instance_id
    claimed_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);
CREATE INDEX inbox_claims_holder_idx ON inbox_claims (holder);
CREATE INDEX inbox_claims_expires_idx ON inbox_claims (expires_at);

-- The inbox routes no longer poll on the clustered Quartz scheduler (V2; each replica polls on its own);
-- the triggers and jobs earlier versions stored for them go, so no replica fires them again.
DELETE FROM qrtz_fired_triggers WHERE trigger_group = 'kasparro-inbox';
DELETE FROM qrtz_cron_triggers WHERE trigger_group = 'kasparro-inbox';
DELETE FROM qrtz_simple_triggers WHERE trigger_group = 'kasparro-inbox';
DELETE FROM qrtz_triggers WHERE trigger_group = 'kasparro-inbox';
DELETE FROM qrtz_job_details WHERE job_group = 'kasparro-inbox';
