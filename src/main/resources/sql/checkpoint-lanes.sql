-- Where each lane of an unfinished file stands: the last line its batches committed.
SELECT lane, lanes, last_line
  FROM ingestion_lanes
 WHERE source = :source AND checkpoint_key = :checkpointKey
 ORDER BY lane
