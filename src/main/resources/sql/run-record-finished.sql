-- A run that is over as soon as it starts: an unknown file, a file refused before reading,
-- or identical content recognised by its hash.
INSERT INTO etl_runs (source, status, trigger, file_name, file_hash, file_size, instance_id,
                      finished_at, records_read, records_skipped, error_message, note)
VALUES (:source, :status, :trigger, :fileName, :fileHash, :fileSize, :instanceId,
        now(), :recordsRead, :recordsSkipped, :error, :note)
RETURNING id
