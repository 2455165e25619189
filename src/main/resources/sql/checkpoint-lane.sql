-- Where one lane of a file stands, for a batch that does not continue from it.
SELECT last_line, lanes
  FROM ingestion_lanes
 WHERE source = :source AND checkpoint_key = :checkpointKey AND lane = :lane
