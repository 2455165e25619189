package com.kasparro.etl.normalize;

import com.kasparro.etl.store.Lane;
import java.util.List;

/**
 * What every source hands the normalization route: up to {@code etl.batch-size} rows of one input,
 * mapped onto the unified shape but not yet validated.
 *
 * @param checkpointKey the input's identity (a file's sha256), or null for an API poll
 * @param previousLine  the checkpoint of its lane this batch continues from
 * @param lastLine      the line of the batch's last row: its lane's checkpoint after it commits
 * @param bytesRead     how far into the input this batch reaches, for progress
 * @param replayOf      for a replay: the run whose rejected rows these are (their lines are that
 *                      run's lines); null otherwise
 * @param lane          the lane of its file the batch's rows are in (polls and replays: the only one)
 */
public record RecordBatch(
        String source,
        long runId,
        String fileName,
        String checkpointKey,
        long previousLine,
        long lastLine,
        long bytesRead,
        List<CandidateRecord> records,
        Long replayOf,
        Lane lane) {

    /** A batch of a poll, or of a file's only lane. */
    public RecordBatch(String source, long runId, String fileName, String checkpointKey, long previousLine,
                       long lastLine, long bytesRead, List<CandidateRecord> records) {
        this(source, runId, fileName, checkpointKey, previousLine, lastLine, bytesRead, records, null, Lane.ONLY);
    }

    /** A replay's batch. */
    public RecordBatch(String source, long runId, String fileName, String checkpointKey, long previousLine,
                       long lastLine, long bytesRead, List<CandidateRecord> records, Long replayOf) {
        this(source, runId, fileName, checkpointKey, previousLine, lastLine, bytesRead, records, replayOf, Lane.ONLY);
    }
}
