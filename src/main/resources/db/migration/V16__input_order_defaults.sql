-- Names break ties in the arrival order byte by byte, as the service orders them in Java, whatever
-- the database's default collation (en_US and C order '-' and '_' differently).
ALTER TABLE unified_records ALTER COLUMN input_name TYPE text COLLATE "C";

-- Every run has an input time: runs started before V15 take their start, later runs that record no
-- arrival (a skipped duplicate, a refused file) their creation.
UPDATE etl_runs SET input_at = started_at WHERE input_at IS NULL;
ALTER TABLE etl_runs
    ALTER COLUMN input_at SET DEFAULT now(),
    ALTER COLUMN input_at SET NOT NULL;
