-- A file run's header line: its rejected rows are read again under it (replay, GET /rejections.csv).
UPDATE etl_runs SET header_line = :headerLine WHERE id = :runId
