package com.kasparro.etl.ingest.csv;

import com.kasparro.etl.store.CommittedLines;

/**
 * A file's run: its row in {@code etl_runs}, and the lines earlier runs over the same content
 * committed (none: the file starts at the top).
 */
public record FileRun(InboxFile file, long runId, CommittedLines committed) {

    /** The line the run resumes after: the end of the unbroken committed lines from the top. */
    public long resumeAfter() {
        return committed.unbrokenTo();
    }
}
