package com.kasparro.etl.normalize;

import java.util.List;

/**
 * What every source hands the normalization route: up to {@code etl.batch-size} rows of one input,
 * mapped onto the unified shape but not yet validated.
 *
 * @param checkpointKey the input's identity (a file's sha256), or null for an API poll
 * @param previousLine  the checkpoint this batch continues from
 * @param lastLine      the last input line this batch covers: the checkpoint after it commits
 * @param bytesRead     how far into the input this batch reaches, for progress
 * @param replayOf      for a replay: the run whose rejected rows these are (their lines are that
 *                      run's lines); null otherwise
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
        Long replayOf) {

    /** A batch of a file or a poll, not a replay. */
    public RecordBatch(String source, long runId, String fileName, String checkpointKey, long previousLine,
                       long lastLine, long bytesRead, List<CandidateRecord> records) {
        this(source, runId, fileName, checkpointKey, previousLine, lastLine, bytesRead, records, null);
    }
}
