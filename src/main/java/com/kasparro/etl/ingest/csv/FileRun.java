package com.kasparro.etl.ingest.csv;

/** A file's run: its row in {@code etl_runs}, and the line it starts after (0: the top). */
public record FileRun(InboxFile file, long runId, long resumeAfter) {
}
