-- A file's rows are written in lanes, one per writer: a row's lane follows from its key, so all
-- rows of a key are in one lane, and a lane's batches are written one after the other, the lanes
-- at the same time. Each lane keeps its own checkpoint: the last line its batches committed, moved
-- in the transaction of the batch's rows. A file's lane count is the one its first batch had.
CREATE TABLE ingestion_lanes (
    source         text    NOT NULL,
    checkpoint_key text    NOT NULL,
    lane           integer NOT NULL,
    lanes          integer NOT NULL,
    last_line      bigint  NOT NULL,
    PRIMARY KEY (source, checkpoint_key, lane)
);

-- A file interrupted before this version resumes in one lane after its checkpoint line, as it would have.
INSERT INTO ingestion_lanes (source, checkpoint_key, lane, lanes, last_line)
SELECT source, checkpoint_key, 0, 1, last_line
  FROM ingestion_checkpoints
 WHERE NOT completed AND last_line > 0;
