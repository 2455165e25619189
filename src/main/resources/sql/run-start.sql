INSERT INTO etl_runs (source, trigger, file_name, file_hash, file_size, instance_id, resumed_from_line,
                      input_at, overtakes)
VALUES (:source, :trigger, :fileName, :fileHash, :fileSize, :instanceId, :resumedFromLine,
        coalesce(CAST(:inputAt AS timestamptz), now()), :overtakes)
RETURNING id
