-- The merge takes a batch's records as arrays (sql/merge-batch.sql, BatchMerger) since V5's
-- measurements; the staging table it replaced is no longer written.
DROP TABLE stage_records;
