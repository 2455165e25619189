-- Files of one source are loaded on several replicas at once, and a file can wait (a claim held by
-- a replica that died, a slow read) while newer files of its source load. A record remembers the
-- input its content belongs to, so that an older input never overwrites a newer one: a file by the
-- time it arrived in the inbox (its ctime, which the rename or copy into the inbox sets) with its
-- name to order files that arrive within one tick of the file system's clock; a poll by its start.
-- Existing records belong to no known input ('-infinity'): any input may change them.
ALTER TABLE unified_records
    ADD COLUMN input_at   timestamptz NOT NULL DEFAULT '-infinity',
    ADD COLUMN input_name text        NOT NULL DEFAULT '';

-- A run's input time (null for runs before this version), and whether it overtook an older file of
-- its source still in the inbox: such a run also claims the records whose content it leaves as is.
ALTER TABLE etl_runs
    ADD COLUMN input_at  timestamptz,
    ADD COLUMN overtakes boolean NOT NULL DEFAULT false;
