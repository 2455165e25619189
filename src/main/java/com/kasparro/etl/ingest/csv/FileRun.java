package com.kasparro.etl.ingest.csv;

import com.kasparro.etl.store.LaneCheckpoints;

/**
 * A file's run: its row in {@code etl_runs}, and where each lane of the file stands from earlier
 * runs over the same content (none: the file starts at the top).
 */
public record FileRun(InboxFile file, long runId, LaneCheckpoints committed) {
}
