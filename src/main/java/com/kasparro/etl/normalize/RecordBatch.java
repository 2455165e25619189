package com.kasparro.etl.normalize;

import java.util.List;

/**
 * The unit of work of the normalization route: up to {@code etl.batch-size} rows of one source,
 * committed in one transaction together with the checkpoint they advance.
 *
 * @param checkpointKey the input's identity (a file's sha256), or null when the caller
 *                      checkpoints itself (the API payload checkpoint is written once at the end)
 * @param previousLine  the checkpoint this batch continues from: the previous batch's last line, or
 *                      the line a resumed input restarts after ({@link CommitOrder} waits for it)
 * @param lastLine      the last input line this batch covers: the checkpoint after it commits
 * @param bytesRead     how far into the input this batch reaches, for progress
 */
public record RecordBatch(
        String source,
        long runId,
        String fileName,
        String checkpointKey,
        long previousLine,
        long lastLine,
        long bytesRead,
        List<CandidateRecord> records) {
}
