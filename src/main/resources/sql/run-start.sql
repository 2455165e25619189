INSERT INTO etl_runs (source, trigger, file_name, file_hash, file_size, instance_id, resumed_from_line)
VALUES (:source, :trigger, :fileName, :fileHash, :fileSize, :instanceId, :resumedFromLine)
RETURNING id
