-- A run's source, file and header line (null: not a csv file, or loaded before runs kept theirs).
SELECT id, source, file_name, header_line FROM etl_runs WHERE id = :runId
