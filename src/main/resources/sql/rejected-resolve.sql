-- A replay batch's valid rows, by their original line: the rejected rows of the run they came
-- from are now resolved by the replay run. In the batch's transaction, after its upsert.
UPDATE rejected_rows
   SET resolved_by_run = CAST(:runId AS bigint)
 WHERE run_id = CAST(:replayOf AS bigint)
   AND line_number = ANY(CAST(:validLines AS bigint[]))
   AND resolved_by_run IS NULL
