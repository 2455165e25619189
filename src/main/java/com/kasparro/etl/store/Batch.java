package com.kasparro.etl.store;

import java.util.List;

/**
 * One validated batch, as {@link BatchWriter} writes it in a single transaction: up to
 * {@code etl.batch-size} rows of one input, with the position they move its checkpoint to.
 *
 * @param checkpointKey the input's identity (a file's sha256); null for an API poll's batches,
 *                      whose payload checkpoint is written once, at the end of the poll
 * @param previousLine  where this batch continues from: its lane's checkpoint it expects to find
 * @param lastLine      the line of the batch's last row: its lane's checkpoint after it commits
 * @param bytesRead     how far into the input this batch reaches, for progress
 * @param read          the rows this batch read (valid, repeated and rejected)
 * @param raw           each row as parsed, for {@code raw_csv_data} (empty for API rows)
 * @param valid         the valid rows, in input order (a key may repeat; its last row wins)
 * @param prices        price points to append to {@code price_snapshots} in the same transaction
 *                      (a markets poll's batches); empty for every other source
 * @param replayOf      for a replay: the run whose rejected rows these are; its rows of the valid
 *                      lines are marked resolved in the batch's transaction. Null otherwise
 * @param lane          the lane of its file the batch's rows are in ({@link Lane#ONLY} but for files)
 */
public record Batch(
        String source,
        long runId,
        String fileName,
        String checkpointKey,
        long previousLine,
        long lastLine,
        long bytesRead,
        int read,
        List<RawRow> raw,
        List<UnifiedRecord> valid,
        List<Rejection> rejected,
        List<PricePoint> prices,
        Long replayOf,
        Lane lane) {

    /** A batch of a poll or of a file's only lane, not a replay, without price points. */
    public Batch(String source, long runId, String fileName, String checkpointKey, long previousLine, long lastLine,
                 long bytesRead, int read, List<RawRow> raw, List<UnifiedRecord> valid, List<Rejection> rejected) {
        this(source, runId, fileName, checkpointKey, previousLine, lastLine, bytesRead, read, raw, valid, rejected,
                List.of(), null, Lane.ONLY);
    }

    /** A row as parsed: its line and its fields as a JSON object's text. */
    public record RawRow(long line, String json) {
    }
}
