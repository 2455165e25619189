-- A file's batches are written on several connections at once and commit in any order.
--
-- A record remembers the line of its input that it holds, so that a batch holding an earlier line
-- of a file, committed after a batch holding a later line of the same key, leaves the later line's
-- content (a file's last row for a key wins, as it always did). Lines of API polls are 0.
ALTER TABLE unified_records ADD COLUMN input_line bigint NOT NULL DEFAULT 0;

-- Each committed batch of a file keeps the lines it covers, (previous_line, last_line], in the
-- transaction of its rows: a resumed file writes exactly the lines no batch covers, and a batch
-- retried after its COMMIT's answer was lost finds its own lines there and writes nothing. A
-- completed file's batches are deleted with its completion.
CREATE TABLE ingestion_batches (
    source         text   NOT NULL,
    checkpoint_key text   NOT NULL,
    previous_line  bigint NOT NULL,
    last_line      bigint NOT NULL,
    PRIMARY KEY (source, checkpoint_key, previous_line)
);

-- A file interrupted before this version resumes after its checkpoint line, as it would have.
INSERT INTO ingestion_batches (source, checkpoint_key, previous_line, last_line)
SELECT source, checkpoint_key, 0, last_line
  FROM ingestion_checkpoints
 WHERE NOT completed AND last_line > 0;
